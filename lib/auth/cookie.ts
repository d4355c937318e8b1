/** The session cookie's name (client-safe: the proxy reads it too). */
export const SESSION_COOKIE = "gatehouse_session";
