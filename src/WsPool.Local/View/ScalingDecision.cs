namespace WsPool.Local.View;

/// <summary>
/// One decision of the autoscaler, as the pool's Events (and its <c>Scaling</c> condition) record it: when, the
/// reason, and the message with the numbers (e.g. "scaling up 2 → 3: 4100 connections need 3 pods at 2000 per pod").
/// </summary>
public sealed record ScalingDecision(DateTimeOffset Time, string Reason, string Message);
