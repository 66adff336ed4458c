using System.Collections.Immutable;

namespace MeshDashboard.Mesh.Simulation;

/// <summary>What happens to the request, in the order Envoy decides it.</summary>
public enum SimulationOutcome
{
    /// <summary>A rule matched and routes to destinations.</summary>
    Routed,
    /// <summary>No VirtualService applies: Kubernetes load balancing across the Service's pods.</summary>
    ServiceDefault,
    /// <summary>A VirtualService applies but no rule matches: Envoy answers 404 (response flag NR).</summary>
    NoRouteMatched,
    /// <summary>The matching rule answers with a redirect.</summary>
    Redirect,
    /// <summary>The matching rule answers directly.</summary>
    DirectResponse,
    /// <summary>The gateway does not exist or does not serve this host: nothing routes the request.</summary>
    NotServedByGateway,
    /// <summary>A part of the configuration we do not simulate decides (delegate, TCP/TLS routes, a regex we cannot translate, JWT claims).</summary>
    NotSimulated,
}

public sealed record SimulatedObject(string Namespace, string Name);

public sealed record SimulatedRule(int Index, string? Name);

/// <summary>A destination and the share of requests it receives (weight / sum of weights, in percent).</summary>
public sealed record SimulatedDestination(string Host, string? Subset, long? Port, double Percent);

public sealed record SimulatedAbort(long? HttpStatus, string? GrpcStatus, double Percent);

public sealed record SimulatedDelay(string? FixedDelay, double Percent);

/// <summary>Fault injection on the matched rule; a missing percentage affects no request.</summary>
public sealed record SimulatedFault(SimulatedAbort? Abort, SimulatedDelay? Delay);

/// <summary>The retry policy Envoy applies: the rule's, or the mesh default when the rule sets none.</summary>
public sealed record SimulatedRetries(long Attempts, string? PerTryTimeout, string? RetryOn, bool MeshDefault);

public sealed record SimulationResult
{
    public required SimulationOutcome Outcome { get; init; }

    /// <summary>The host as the proxy looks it up (a short name resolved in the caller's namespace).</summary>
    public required string Host { get; init; }

    public SimulatedObject? VirtualService { get; init; }

    public SimulatedRule? Rule { get; init; }

    public ImmutableArray<SimulatedDestination> Destinations { get; init; } = [];

    public ImmutableArray<SimulatedDestination> Mirrors { get; init; } = [];

    public SimulatedFault? Fault { get; init; }

    /// <summary>The route timeout, or null for none (Istio's default disables the route timeout).</summary>
    public string? Timeout { get; init; }

    public SimulatedRetries? Retries { get; init; }

    /// <summary>One line per decision: which VirtualService applied and why, each rule tried and why it did or did not match.</summary>
    public ImmutableArray<string> Explanation { get; init; } = [];
}
