using System.Collections.Immutable;

namespace MeshDashboard.Mesh.Traffic;

/// <summary>Whether figures could be read, and if not, whether that is an outage or a setting.</summary>
public enum TrafficAvailability
{
    /// <summary>The figures are current.</summary>
    Live,
    /// <summary>The metrics source did not answer in time, failed, or the refresh budget ran out: no data, and <c>Reason</c> says why.</summary>
    NoData,
    /// <summary>No metrics source is configured in this mode; <c>Reason</c> says how to configure one.</summary>
    NotConfigured,
}

/// <summary>Where figures come from, as the API names it.</summary>
public static class TrafficSources
{
    public const string Prometheus = "prometheus";
    public const string Sandbox = "sandbox";
    public const string None = "none";
}

/// <summary>A subset's figures now, its share of the service's requests, and its recent history for a sparkline.</summary>
public sealed record SubsetTraffic(string Name, TrafficFigures Figures, double? Share, ImmutableArray<TrafficPoint> Series);

/// <summary>The traffic of one service over a window, per subset and in total.</summary>
public sealed record ServiceTraffic
{
    public required string Source { get; init; }

    public required MetricsWindow Window { get; init; }

    public required TrafficAvailability Availability { get; init; }

    /// <summary>Why there are no figures (NoData, NotConfigured); null when live.</summary>
    public string? Reason { get; init; }

    /// <summary>When the figures were read.</summary>
    public required DateTimeOffset At { get; init; }

    public TrafficFigures Service { get; init; } = TrafficFigures.Idle;

    /// <summary>One entry per DestinationRule subset of the service, in the DestinationRule's order.</summary>
    public ImmutableArray<SubsetTraffic> Subsets { get; init; } = [];

    public ImmutableArray<TrafficPoint> Series { get; init; } = [];

    public SubsetTraffic? Subset(string name) => Subsets.FirstOrDefault(s => s.Name == name);

    public static ServiceTraffic Unavailable(string source, MetricsWindow window, TrafficAvailability availability, string reason, DateTimeOffset at) =>
        new() { Source = source, Window = window, Availability = availability, Reason = reason, At = at };
}

/// <summary>Every service's request rate and success over a window, for the overview.</summary>
public sealed record MeshTraffic
{
    public required string Source { get; init; }

    public required MetricsWindow Window { get; init; }

    public required TrafficAvailability Availability { get; init; }

    public string? Reason { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>By (namespace, name); a service that received nothing is absent.</summary>
    public ImmutableDictionary<(string Namespace, string Name), TrafficFigures> Services { get; init; } =
        ImmutableDictionary<(string Namespace, string Name), TrafficFigures>.Empty;

    public TrafficFigures? Of(string ns, string name) => Services.GetValueOrDefault((ns, name));

    /// <summary>Who calls whom: one entry per caller workload and service called, for the mesh map. Empty when the source names no callers.</summary>
    public ImmutableArray<CallRate> Calls { get; init; } = [];

    public static MeshTraffic From(string source, MetricsWindow window, DateTimeOffset at, IEnumerable<ServiceRequestRate> rates) => new()
    {
        Source = source,
        Window = window,
        Availability = TrafficAvailability.Live,
        At = at,
        Services = rates.GroupBy(r => (r.Namespace, r.Name)).ToImmutableDictionary(g => g.Key, g =>
        {
            var sample = new TrafficSample(at, [.. g.Select(r => new RequestRate("", r.ResponseCode, r.GrpcStatus, r.PerSecond))], []);
            return sample.FiguresOf(_ => true);
        }),
        Calls = [.. rates.Where(r => r.SourceWorkload.Length > 0)
            .GroupBy(r => (r.SourceNamespace, r.SourceWorkload, r.Namespace, r.Name))
            .Select(g => new CallRate(g.Key.SourceNamespace, g.Key.SourceWorkload, g.Key.Namespace, g.Key.Name,
                new TrafficSample(at, [.. g.Select(r => new RequestRate("", r.ResponseCode, r.GrpcStatus, r.PerSecond))], []).FiguresOf(_ => true)))
            .Where(c => c.Figures.RequestsPerSecond > 0)
            .OrderBy(c => c.SourceNamespace, StringComparer.Ordinal).ThenBy(c => c.SourceWorkload, StringComparer.Ordinal)
            .ThenBy(c => c.DestinationNamespace, StringComparer.Ordinal).ThenBy(c => c.DestinationName, StringComparer.Ordinal)],
    };

    public static MeshTraffic Unavailable(string source, MetricsWindow window, TrafficAvailability availability, string reason, DateTimeOffset at) =>
        new() { Source = source, Window = window, Availability = availability, Reason = reason, At = at };
}

/// <summary>Requests from one workload (as Istio's <c>source_workload</c> names it) to one service over the window.</summary>
public sealed record CallRate(string SourceNamespace, string SourceWorkload, string DestinationNamespace, string DestinationName, TrafficFigures Figures);
