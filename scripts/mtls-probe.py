#!/usr/bin/python3
"""One gRPC call to identity-service or ipam-service over TLS, as a client that holds the
given certificate (or none), for scripts/cluster-e2e.sh's mTLS mode. Prints the call's gRPC
status code (OK, PERMISSION_DENIED, UNAVAILABLE, ...) on the first line and its description
on the second; the exit status is 0 whenever the call got an answer or a status, 2 on bad use.

  mtls-probe.py --target HOST:PORT --ca CA.crt [--cert tls.crt --key tls.key] CALL NODE

CALL is one of
  identity-allocate   Allocate of labels k8s:probe=mtls for NODE
  identity-release    Release of identity 256 for NODE
  ipam-release        ReleaseNodeCidrs of NODE (the operator's call)

The stubs are generated at run time from the project's own .proto files by Debian's
python3-grpc-tools (run under Debian's /usr/bin/python3).
"""
import argparse
import os
import subprocess
import sys
import tempfile

PROTOS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api", "src", "main", "proto")
FILES = ["identity/v1/identity.proto", "ipam/v1/ipam.proto"]
TIMEOUT_SECONDS = 20


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("call", choices=["identity-allocate", "identity-release", "ipam-release"])
    parser.add_argument("node")
    args = parser.parse_args()
    if (args.cert is None) != (args.key is None):
        parser.error("--cert and --key go together")

    import grpc

    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", PROTOS, "--python_out=" + out,
                        "--grpc_python_out=" + out] + FILES, check=True)
        sys.path.insert(0, out)
        from identity.v1 import identity_pb2, identity_pb2_grpc
        from ipam.v1 import ipam_pb2, ipam_pb2_grpc

        credentials = grpc.ssl_channel_credentials(
            root_certificates=read(args.ca),
            private_key=read(args.key) if args.key else None,
            certificate_chain=read(args.cert) if args.cert else None)
        with grpc.secure_channel(args.target, credentials) as channel:
            try:
                if args.call == "identity-allocate":
                    identity_pb2_grpc.IdentityServiceStub(channel).Allocate(
                        identity_pb2.AllocateRequest(labels=["k8s:probe=mtls"], node=args.node),
                        timeout=TIMEOUT_SECONDS)
                elif args.call == "identity-release":
                    identity_pb2_grpc.IdentityServiceStub(channel).Release(
                        identity_pb2.ReleaseRequest(id=256, node=args.node), timeout=TIMEOUT_SECONDS)
                else:
                    ipam_pb2_grpc.IpamServiceStub(channel).ReleaseNodeCidrs(
                        ipam_pb2.ReleaseNodeCidrsRequest(node=args.node), timeout=TIMEOUT_SECONDS)
                print("OK")
                print("")
            except grpc.RpcError as error:
                print(error.code().name)
                print((error.details() or "").replace("\n", " "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
