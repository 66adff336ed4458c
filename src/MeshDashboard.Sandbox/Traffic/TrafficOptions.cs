namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// Configuration section <c>Sandbox:Traffic</c>: the simulated clients that give the sandbox's mesh traffic. Each
/// Service with ready pods receives <see cref="RequestsPerSecond"/> requests (or its own
/// <c>traffic.sandbox.meshdashboard.io/requests-per-second</c> annotation), shaped by <see cref="Mix"/> (or its own
/// <c>.../request-mix</c> annotation), routed through the live VirtualServices and DestinationRules.
/// </summary>
public sealed class TrafficOptions
{
    public bool Enabled { get; set; } = true;

    public double RequestsPerSecond { get; set; } = 10;

    /// <summary>How often the simulator sends a batch of requests and updates the metrics.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The owner calls <see cref="SandboxTraffic.Tick"/> itself (a test on a hand-moved clock); no loop ticks. The
    /// checkpoints still follow <see cref="TickInterval"/>.
    /// </summary>
    public bool TickedByOwner { get; set; }

    /// <summary>A healthy pod's typical latency; each response takes between half and one and a half times this.</summary>
    public double BaseLatencyMs { get; set; } = 20;

    /// <summary>
    /// The kinds of request sent, each with a share. The default: most requests plain, one in ten from the demo's
    /// tester (<c>end-user: tester</c>), which the demo's dark-launch rule matches.
    /// </summary>
    public List<RequestShape> Mix { get; set; } =
    [
        new() { Share = 90 },
        new() { Share = 10, Headers = new() { ["end-user"] = "tester" } },
    ];

    /// <summary>A seed for the simulator's random choices; unset picks a new one per start.</summary>
    public int? Seed { get; set; }

    /// <summary>How much history the sandbox keeps for its own figures (the longest window plus the sparkline's span).</summary>
    public TimeSpan History { get; set; } = TimeSpan.FromMinutes(75);
}

/// <summary>One kind of simulated request: its share of the mix, method, path (may carry a query) and headers.</summary>
public sealed class RequestShape
{
    public double Share { get; set; } = 1;

    public string Method { get; set; } = "GET";

    public string Path { get; set; } = "/";

    public Dictionary<string, string> Headers { get; set; } = [];
}
