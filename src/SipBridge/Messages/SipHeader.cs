namespace MediaServer.SipBridge.Messages;

/// <summary>One header field line after unfolding (RFC 3261 §7.3.1); <see cref="Name"/> is canonical.</summary>
public readonly record struct SipHeader(string Name, string Value);
