package io.jcilium.agent.datapath.lb;

/**
 * {@code bench/services}: requests per second through a service address against the same
 * client connecting to a backend pod's address directly, in the same run. Rounds
 * alternate between the two so that a change of load on this shared machine falls on
 * both; each figure is the median of its rounds. Two kinds of request: a new connection
 * each (the load balancer is on the path of every request) and all on one connection.
 *
 * @param rounds rounds per figure
 * @param seconds length of one round
 */
record RequestRates(int rounds, double seconds) {

	/** Column heading of {@link #measure}'s text. */
	static final String HEADING = "req/s new conn: svc / pod (ratio)   req/s one conn: svc / pod (ratio)";

	/**
	 * Measures both kinds.
	 * @return the figures, service first
	 */
	Figures measure(Clients clients, String namespace, String serviceHost, int servicePort, String podHost,
			int podPort) {
		double[] perConnection = alternate(clients, namespace, "rps", serviceHost, servicePort, podHost, podPort);
		double[] oneConnection = alternate(clients, namespace, "rpsconn", serviceHost, servicePort, podHost, podPort);
		return new Figures(perConnection[0], perConnection[1], oneConnection[0], oneConnection[1]);
	}

	private double[] alternate(Clients clients, String namespace, String mode, String serviceHost, int servicePort,
			String podHost, int podPort) {
		double[] service = new double[this.rounds];
		double[] pod = new double[this.rounds];
		for (int i = 0; i < this.rounds; i++) {
			service[i] = clients.requestsPerSecond(namespace, mode, serviceHost, servicePort, this.seconds);
			pod[i] = clients.requestsPerSecond(namespace, mode, podHost, podPort, this.seconds);
		}
		return new double[] { Latencies.median(service), Latencies.median(pod) };
	}

	/**
	 * Medians of the rounds.
	 *
	 * @param serviceNew through the service, a connection per request
	 * @param podNew to the pod, a connection per request
	 * @param serviceOne through the service, one connection
	 * @param podOne to the pod, one connection
	 */
	record Figures(double serviceNew, double podNew, double serviceOne, double podOne) {

		String text() {
			return String.format("%.0f / %.0f (%.3f)   %.0f / %.0f (%.3f)", this.serviceNew, this.podNew,
					this.serviceNew / this.podNew, this.serviceOne, this.podOne, this.serviceOne / this.podOne);
		}

	}

}
