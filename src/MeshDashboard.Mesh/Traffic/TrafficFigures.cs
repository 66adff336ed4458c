namespace MeshDashboard.Mesh.Traffic;

/// <summary>
/// What a release manager reads beside a slider: requests per second, the share that succeeded and latency percentiles,
/// over one window. Success and latencies are null when nothing was requested (no requests is not 100% success).
/// </summary>
public sealed record TrafficFigures(double RequestsPerSecond, double? SuccessRate, double? P50Ms, double? P90Ms, double? P99Ms)
{
    public static TrafficFigures Idle { get; } = new(0, null, null, null, null);

    /// <summary>The error rate as the overview shows it: 1 - success, null when idle.</summary>
    public double? ErrorRate => SuccessRate is { } success ? 1 - success : null;
}

/// <summary>One point of a figure's recent history (a sparkline): the figures over the window ending at <see cref="At"/>.</summary>
public sealed record TrafficPoint(DateTimeOffset At, double RequestsPerSecond, double? SuccessRate, double? P99Ms);
