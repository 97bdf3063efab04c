package ai.clawfactory.worker.http;

/** One HTTP answer: its status, the Retry-After header if any, and the body ("" when none). */
public record HttpExchange(int status, String retryAfter, String body) {}
