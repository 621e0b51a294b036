#!/usr/bin/python3
"""A Hubble client generated from upstream Cilium's own .proto files, in Python, reading a
live jcilium agent and relay (issue 14 point 2: "a client generated from upstream's own
.proto files, in another language, must read our flows unchanged").

The stubs are generated at run time by Debian's python3-grpc-tools from the unchanged
upstream protos in api/src/test/resources/upstream-hubble (their origin and commits are in
the README there), so nothing of our own API definition is involved on this side of the wire.

It expects the scene of scripts/e2e.sh: in NAMESPACE, pod frontend was allowed to open TCP
connections to backend:8080, and pod stranger's SYNs to backend:8080 were denied by policy.
Each check prints PASS or FAIL; the exit status is the number of failures.

  upstream-hubble-client.py --agent HOST:PORT --relay HOST:PORT --node NODE --namespace NS --policy NAME

Runs under Debian's /usr/bin/python3: Debian's python3-grpcio loads only under the system
interpreter.
"""
import argparse
import importlib
import ipaddress
import os
import subprocess
import sys
import tempfile

PROTOS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api", "src", "test", "resources",
                      "upstream-hubble")
FILES = ["flow/flow.proto", "observer/observer.proto", "peer/peer.proto", "relay/relay.proto"]
TIMEOUT_SECONDS = 60
# upstream's pkg/monitor/api message types
MESSAGE_TYPE_DROP, MESSAGE_TYPE_TRACE, MESSAGE_TYPE_POLICY_VERDICT = 1, 4, 5
FIRST_CLUSTER_IDENTITY = 256


def generate(out):
    """protoc with the gRPC Python plugin over the upstream files, into out (a package root)."""
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", PROTOS, "--python_out=" + out,
                    "--grpc_python_out=" + out] + FILES, check=True)
    sys.path.insert(0, out)


class Checks:
    def __init__(self):
        self.failed = 0

    def check(self, what, ok, detail=""):
        print(("PASS " if ok else "FAIL ") + what + ("" if ok else " (" + str(detail) + ")"))
        if not ok:
            self.failed += 1
        return ok


def flows(observer_pb2, stub, whitelist, number=1000):
    """(flows, node_status events) of a GetFlows of the last `number` flows matching whitelist."""
    request = observer_pb2.GetFlowsRequest(number=number, whitelist=whitelist)
    got, statuses = [], []
    for response in stub.GetFlows(request, timeout=TIMEOUT_SECONDS):
        kind = response.WhichOneof("response_types")
        if kind == "flow":
            got.append(response)
        elif kind == "node_status":
            statuses.append(response.node_status)
    return got, statuses


def is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def check_allowed(c, pb, where, responses, args):
    flow_pb2 = pb["flow"]
    c.check(where + ": GetFlows finds frontend's allowed SYN to backend:8080", responses, "no such flow")
    if not responses:
        return
    response = responses[-1]
    f = response.flow
    c.check(where + ": response.node_name and flow.node_name are the node", response.node_name == args.node
            and f.node_name == args.node, (response.node_name, f.node_name))
    c.check(where + ": flow.time is set and equals the response's time", f.time.seconds > 0 and f.time == response.time,
            (f.time, response.time))
    c.check(where + ": flow.uuid is set", len(f.uuid) == 36, f.uuid)
    c.check(where + ": verdict FORWARDED", f.verdict == flow_pb2.FORWARDED, flow_pb2.Verdict.Name(f.verdict))
    c.check(where + ": Type L3_L4", f.Type == flow_pb2.L3_L4, f.Type)
    c.check(where + ": event type trace or policy verdict",
            f.event_type.type in (MESSAGE_TYPE_TRACE, MESSAGE_TYPE_POLICY_VERDICT), f.event_type)
    c.check(where + ": IPv4 addresses", f.IP.ipVersion == flow_pb2.IPv4 and is_ip(f.IP.source)
            and is_ip(f.IP.destination), f.IP)
    tcp = f.l4.TCP
    c.check(where + ": L4 is TCP to port 8080 from an ephemeral port", f.l4.WhichOneof("protocol") == "TCP"
            and tcp.destination_port == 8080 and tcp.source_port >= 1024, f.l4)
    c.check(where + ": TCP flags SYN without ACK", tcp.flags.SYN and not tcp.flags.ACK, tcp.flags)
    c.check(where + ": is_reply present and false", f.HasField("is_reply") and not f.is_reply.value, f.is_reply)
    c.check(where + ": traffic direction INGRESS and observation point set",
            f.traffic_direction == flow_pb2.INGRESS
            and (f.trace_observation_point != flow_pb2.UNKNOWN_POINT
                 or f.event_type.type == MESSAGE_TYPE_POLICY_VERDICT),
            (f.traffic_direction, f.trace_observation_point))
    for end, pod in ((f.source, "frontend"), (f.destination, "backend")):
        c.check(where + ": " + pod + " endpoint: namespace, pod, identity, labels",
                end.namespace == args.namespace and end.pod_name == pod and end.identity >= FIRST_CLUSTER_IDENTITY
                and "k8s:app=" + pod in end.labels, end)
    c.check(where + ": the two identities differ", f.source.identity != f.destination.identity)


def check_allowed_by(c, pb, where, stub, args):
    """Flow.ingress_allowed_by (21002) is newer than this snapshot of upstream's flow.proto: on
    the policy verdict of frontend's connection it must reach the client as an intact unknown
    field, naming the policy that allowed it."""
    flow_pb2, observer_pb2 = pb["flow"], pb["observer"]
    verdicts = [flow_pb2.FlowFilter(source_pod=[args.namespace + "/frontend"],
                                    destination_pod=[args.namespace + "/backend"], destination_port=["8080"],
                                    verdict=[flow_pb2.FORWARDED], traffic_direction=[flow_pb2.INGRESS],
                                    event_type=[flow_pb2.EventTypeFilter(type=MESSAGE_TYPE_POLICY_VERDICT)])]
    responses, _ = flows(observer_pb2, stub, verdicts)
    c.check(where + ": GetFlows with an event_type filter finds frontend's policy verdicts", responses, "none")
    c.check(where + ": only policy verdicts", all(r.flow.event_type.type == MESSAGE_TYPE_POLICY_VERDICT
                                                  for r in responses), [r.flow.event_type for r in responses])
    allowed_by = [u.data for r in responses for u in r.flow.UnknownFields() if u.field_number == 21002]
    c.check(where + ": ingress_allowed_by (unknown to this snapshot) kept intact, naming " + args.policy,
            allowed_by and all(args.policy.encode() in data for data in allowed_by), allowed_by)


def check_denied(c, pb, where, responses, args):
    flow_pb2 = pb["flow"]
    c.check(where + ": GetFlows finds stranger's SYN to backend dropped", responses, "no such flow")
    if not responses:
        return
    f = responses[-1].flow
    c.check(where + ": verdict DROPPED, drop_reason_desc POLICY_DENIED (133)", f.verdict == flow_pb2.DROPPED
            and f.drop_reason_desc == flow_pb2.POLICY_DENIED and f.drop_reason == 133,
            (f.verdict, f.drop_reason_desc, f.drop_reason))
    c.check(where + ": event type drop or policy verdict",
            f.event_type.type in (MESSAGE_TYPE_DROP, MESSAGE_TYPE_POLICY_VERDICT), f.event_type)
    c.check(where + ": both identities, stranger's and backend's",
            f.source.pod_name == "stranger" and f.destination.pod_name == "backend"
            and f.source.identity >= FIRST_CLUSTER_IDENTITY and f.destination.identity >= FIRST_CLUSTER_IDENTITY
            and f.source.identity != f.destination.identity, (f.source, f.destination))
    c.check(where + ": TCP SYN to 8080", f.l4.TCP.destination_port == 8080 and f.l4.TCP.flags.SYN, f.l4)


def filters(pb, args, source, verdict):
    flow_pb2 = pb["flow"]
    return [flow_pb2.FlowFilter(source_pod=[args.namespace + "/" + source],
                                destination_pod=[args.namespace + "/backend"], destination_port=["8080"],
                                tcp_flags=[flow_pb2.TCPFlags(SYN=True)], verdict=[verdict],
                                traffic_direction=[flow_pb2.INGRESS])]


def check_observer(c, pb, where, stub, args, relay):
    flow_pb2, observer_pb2, relay_pb2 = pb["flow"], pb["observer"], pb["relay"]
    allowed, statuses = flows(observer_pb2, stub, filters(pb, args, "frontend", flow_pb2.FORWARDED))
    check_allowed(c, pb, where, allowed, args)
    check_allowed_by(c, pb, where, stub, args)
    if relay:
        c.check(where + ": node_status NODE_CONNECTED names the node",
                any(s.state_change == relay_pb2.NODE_CONNECTED and args.node in s.node_names for s in statuses),
                statuses)
    denied, _ = flows(observer_pb2, stub, filters(pb, args, "stranger", flow_pb2.DROPPED))
    check_denied(c, pb, where, denied, args)

    status = stub.ServerStatus(observer_pb2.ServerStatusRequest(), timeout=TIMEOUT_SECONDS)
    c.check(where + ": ServerStatus num_flows, max_flows 4095, seen_flows, uptime",
            0 < status.num_flows <= status.max_flows and status.max_flows == 4095
            and status.seen_flows >= status.num_flows and status.uptime_ns > 0, status)
    if relay:
        c.check(where + ": ServerStatus connected 1, unavailable 0",
                status.HasField("num_connected_nodes") and status.num_connected_nodes.value == 1
                and status.HasField("num_unavailable_nodes") and status.num_unavailable_nodes.value == 0,
                status)

    nodes = stub.GetNodes(observer_pb2.GetNodesRequest(), timeout=TIMEOUT_SECONDS).nodes
    ours = [n for n in nodes if n.name == args.node]
    c.check(where + ": GetNodes lists the node, connected, with its flow counts",
            len(ours) == 1 and ours[0].state == relay_pb2.NODE_CONNECTED and ours[0].max_flows == 4095
            and ours[0].seen_flows > 0 and ours[0].uptime_ns > 0, nodes)


def check_refused(c, pb, where, stub, grpc):
    """Filters that cannot parse: INVALID_ARGUMENT naming the field, from the agent and through the relay."""
    flow_pb2, observer_pb2 = pb["flow"], pb["observer"]
    for field, whitelist in (("destination_ip", [flow_pb2.FlowFilter(destination_ip=["10.0.0.0/40"])]),
                             ("source_label", [flow_pb2.FlowFilter(),
                                               flow_pb2.FlowFilter(source_label=["app in (frontend"])])):
        index = len(whitelist) - 1
        try:
            got = list(stub.GetFlows(observer_pb2.GetFlowsRequest(number=1, whitelist=whitelist),
                                     timeout=TIMEOUT_SECONDS))
            code, details = None, "answered with %d responses" % len(got)
        except grpc.RpcError as e:
            code, details = e.code(), e.details()
        prefix = "whitelist[%d].%s: " % (index, field)
        c.check(where + ": a " + field + " that cannot parse is INVALID_ARGUMENT naming the field",
                code == grpc.StatusCode.INVALID_ARGUMENT and details.startswith(prefix), (code, details))


def check_peer(c, pb, agent, args, grpc):
    peer_pb2, peer_grpc = pb["peer"], pb["peer_grpc"]
    with grpc.insecure_channel(agent) as channel:
        call = peer_grpc.PeerStub(channel).Notify(peer_pb2.NotifyRequest(), timeout=TIMEOUT_SECONDS)
        first = next(call)
        call.cancel()
    c.check("agent: peer.Peer/Notify announces the node, PEER_ADDED, with its address",
            first.name == args.node and first.type == peer_pb2.PEER_ADDED and ":" in first.address, first)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agent", required=True)
    parser.add_argument("--relay", required=True)
    parser.add_argument("--node", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--policy", required=True, help="the policy that allows frontend to backend:8080")
    args = parser.parse_args()
    import grpc

    with tempfile.TemporaryDirectory(prefix="upstream-hubble-") as out:
        generate(out)
        pb = {name: importlib.import_module(name + "." + name + "_pb2") for name in ("flow", "observer", "peer",
                                                                                     "relay")}
        pb["observer_grpc"] = importlib.import_module("observer.observer_pb2_grpc")
        pb["peer_grpc"] = importlib.import_module("peer.peer_pb2_grpc")
        c = Checks()
        for where, target, relay in (("agent", args.agent, False), ("relay", args.relay, True)):
            with grpc.insecure_channel(target) as channel:
                stub = pb["observer_grpc"].ObserverStub(channel)
                check_observer(c, pb, where, stub, args, relay)
                check_refused(c, pb, where, stub, grpc)
        check_peer(c, pb, args.agent, args, grpc)
    print("upstream-hubble-client: %d failed" % c.failed)
    return min(c.failed, 125)


if __name__ == "__main__":
    sys.exit(main())
