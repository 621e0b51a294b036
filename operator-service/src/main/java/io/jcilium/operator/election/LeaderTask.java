package io.jcilium.operator.election;

/**
 * Work only the leader may do (a controller that writes to the API). Started when this
 * replica becomes leader, stopped when it stops leading; both may be called again later.
 */
public interface LeaderTask {

	/**
	 * The task's name, for logs.
	 * @return the name
	 */
	String name();

	void startLeading();

	void stopLeading();

}
