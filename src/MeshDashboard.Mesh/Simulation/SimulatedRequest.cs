namespace MeshDashboard.Mesh.Simulation;

/// <summary>
/// A request to simulate. <see cref="Gateway"/> null or <c>mesh</c> means a sidecar sends it; otherwise it arrives at the
/// gateway <c>namespace/name</c>. <see cref="Path"/> may carry a query string. <see cref="Port"/> is the port the
/// request is sent to; when absent it comes from the host (<c>host:port</c>), else from a single-port Service.
/// </summary>
public sealed record SimulatedRequest
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public required string Host { get; init; }

    public string? Gateway { get; init; }

    public string Method { get; init; } = "GET";

    public string Path { get; init; } = "/";

    public string Scheme { get; init; } = "http";

    public int? Port { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = None;

    public IReadOnlyDictionary<string, string> SourceLabels { get; init; } = None;

    public string? SourceNamespace { get; init; }

    public bool AtGateway => Gateway is { Length: > 0 } g && g != "mesh";
}
