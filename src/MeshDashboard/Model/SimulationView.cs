using System.Collections.Immutable;
using System.Globalization;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Simulation;

namespace MeshDashboard.Model;

/// <summary>One destination of a simulated request and its share, in words.</summary>
public sealed record SimulatedTarget(string Host, string? Subset, double Percent)
{
    public string Text => $"{Host}{(Subset is null ? "" : " · " + Subset)} — {Percent.ToString("0.##", CultureInfo.InvariantCulture)}%";
}

/// <summary>
/// The answer to "where does this request go?" as the service page shows it: which VirtualService and rule caught
/// the request, the destinations with their shares (and as a bar), mirror copies (never shares: a mirrored request
/// also goes to its destination), fault, timeout, retries and the simulator's explanation, one line per decision.
/// Compared by value, so a live update that changes nothing for this request does not re-render the panel.
/// </summary>
public sealed record SimulationView
{
    public required SimulationOutcome Outcome { get; init; }

    public required string Headline { get; init; }

    public string? VirtualService { get; init; }

    public string? Rule { get; init; }

    public ImmutableArray<SimulatedTarget> Destinations { get; init; } = [];

    /// <summary>The destinations as one bar, coloured as the page header colours subsets.</summary>
    public ImmutableArray<SplitBar> Bar { get; init; } = [];

    public ImmutableArray<string> Mirrors { get; init; } = [];

    public string? Fault { get; init; }

    public string? Timeout { get; init; }

    public string? Retries { get; init; }

    public ImmutableArray<string> Explanation { get; init; } = [];

    public bool IsRouted => Outcome == SimulationOutcome.Routed || Outcome == SimulationOutcome.ServiceDefault;

    /// <param name="result">The simulator's answer.</param>
    /// <param name="subsetOrder">The service's subsets in the order the header colours them.</param>
    public static SimulationView From(SimulationResult result, IReadOnlyList<string> subsetOrder)
    {
        var destinations = result.Destinations.Select(d => new SimulatedTarget(Short(d.Host), d.Subset, d.Percent)).ToImmutableArray();
        var vs = result.VirtualService is { } v ? $"{v.Namespace}/{v.Name}" : null;
        var rule = result.Rule is { } r ? (r.Name is null ? $"rule {r.Index + 1}" : $"rule {r.Index + 1} “{r.Name}”") : null;
        var segments = destinations
            .Where(d => d.Percent > 0)
            .Select(d => new SplitSegment(d.Subset ?? d.Host, d.Percent, ColorOf(d.Subset, subsetOrder)))
            .ToImmutableArray();
        return new SimulationView
        {
            Outcome = result.Outcome,
            Headline = HeadlineOf(result, vs, rule),
            VirtualService = vs,
            Rule = rule,
            Destinations = destinations,
            Bar = segments.IsEmpty ? [] : [new SplitBar("Destinations", Short(result.Host), segments)],
            Mirrors = [.. result.Mirrors.Select(m => $"copy of {Percent(m.Percent)} to {Short(m.Host)}{(m.Subset is null ? "" : " · " + m.Subset)}")],
            Fault = result.Fault is { } fault ? DescribeFault(fault) : null,
            Timeout = result.Outcome == SimulationOutcome.Routed ? result.Timeout ?? "none (Istio sets no route timeout unless the rule does)" : null,
            Retries = result.Retries is { } retries ? DescribeRetries(retries) : null,
            Explanation = result.Explanation,
        };
    }

    private static string HeadlineOf(SimulationResult result, string? vs, string? rule) => result.Outcome switch
    {
        SimulationOutcome.Routed => $"Caught by VirtualService {vs}, {rule}.",
        SimulationOutcome.ServiceDefault => "No VirtualService applies: Kubernetes load-balances across the service's pods.",
        SimulationOutcome.NoRouteMatched => $"No rule of VirtualService {vs} matches: Envoy answers 404.",
        SimulationOutcome.Redirect => $"VirtualService {vs}, {rule} answers with a redirect.",
        SimulationOutcome.DirectResponse => $"VirtualService {vs}, {rule} answers directly.",
        SimulationOutcome.NotServedByGateway => "The gateway does not serve this host: nothing routes the request.",
        _ => "Not simulated: " + (result.Explanation.IsEmpty ? "a part of the configuration the simulator does not model decides." : result.Explanation[^1]),
    };

    private static string DescribeFault(SimulatedFault fault)
    {
        var parts = new List<string>();
        if (fault.Abort is { } abort)
        {
            var status = abort.GrpcStatus is { } grpc ? $"gRPC {grpc}" : $"HTTP {abort.HttpStatus}";
            parts.Add($"{Percent(abort.Percent)} aborted with {status}");
        }
        if (fault.Delay is { } delay)
        {
            parts.Add($"{Percent(delay.Percent)} delayed by {delay.FixedDelay}");
        }
        return parts.Count == 0 ? "a fault that affects no request" : string.Join("; ", parts);
    }

    private static string DescribeRetries(SimulatedRetries retries)
    {
        var words = $"{retries.Attempts} attempts" + (retries.PerTryTimeout is null ? "" : $", {retries.PerTryTimeout} per try") + (retries.RetryOn is null ? "" : $" on {retries.RetryOn}");
        return retries.MeshDefault ? $"the mesh default ({words})" : words;
    }

    private static string Percent(double percent) => percent.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Short(string host)
    {
        var suffix = ".svc." + HostNames.ClusterDomain;
        return host.EndsWith(suffix, StringComparison.Ordinal) ? host[..^suffix.Length] : host;
    }

    private static string ColorOf(string? subset, IReadOnlyList<string> subsetOrder)
    {
        var i = subset is null ? -1 : subsetOrder.ToList().IndexOf(subset);
        return SubsetColors.At(i);
    }

    public bool Equals(SimulationView? other) =>
        other is not null
        && Outcome == other.Outcome && Headline == other.Headline && VirtualService == other.VirtualService && Rule == other.Rule
        && Fault == other.Fault && Timeout == other.Timeout && Retries == other.Retries
        && Destinations.SequenceEqual(other.Destinations) && Mirrors.SequenceEqual(other.Mirrors) && Explanation.SequenceEqual(other.Explanation)
        && Bar.Select(b => (b.Label, b.Who, string.Join("|", b.Segments))).SequenceEqual(other.Bar.Select(b => (b.Label, b.Who, string.Join("|", b.Segments))));

    public override int GetHashCode() => HashCode.Combine(Outcome, Headline, Fault, Explanation.Length);
}
