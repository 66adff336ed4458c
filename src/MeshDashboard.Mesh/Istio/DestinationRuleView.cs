using System.Collections.Immutable;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Istio;

/// <summary>A typed, read-only view of a DestinationRule: host, top-level policy, subsets.</summary>
public sealed record DestinationRuleView(KubeObject Source, string Host, TrafficPolicyView? TrafficPolicy, ImmutableArray<SubsetView> Subsets)
{
    public string Namespace => Source.Namespace;

    public string Name => Source.Name;

    public static DestinationRuleView From(KubeObject dr)
    {
        var spec = dr.Spec;
        return new DestinationRuleView(
            dr,
            spec.Str("host") ?? "",
            TrafficPolicyView.From(spec.Obj("trafficPolicy")),
            [.. (spec.Arr("subsets") ?? []).OfType<JsonObject>().Select(SubsetView.From)]);
    }
}

public sealed record SubsetView(string Name, IReadOnlyDictionary<string, string> Labels, TrafficPolicyView? TrafficPolicy)
{
    public static SubsetView From(JsonObject subset) =>
        new(subset.Str("name") ?? "", subset["labels"].ToStringMap(), TrafficPolicyView.From(subset.Obj("trafficPolicy")));

    public bool Selects(IReadOnlyDictionary<string, string> podLabels) =>
        Labels.All(l => podLabels.TryGetValue(l.Key, out var v) && v == l.Value);
}

/// <summary>The parts of a traffic policy MeshDashboard shows; the raw JSON keeps the rest.</summary>
public sealed record TrafficPolicyView(
    string? LoadBalancer,
    string? TlsMode,
    OutlierDetectionView? OutlierDetection,
    ConnectionPoolView? ConnectionPool)
{
    public static TrafficPolicyView? From(JsonObject? policy)
    {
        if (policy is null)
        {
            return null;
        }
        var outlier = policy.Obj("outlierDetection");
        var pool = policy.Obj("connectionPool");
        return new TrafficPolicyView(
            policy.Obj("loadBalancer").Str("simple"),
            policy.Obj("tls").Str("mode"),
            outlier is null ? null : OutlierDetectionView.From(outlier),
            pool is null ? null : ConnectionPoolView.From(pool));
    }
}

/// <summary>
/// Outlier detection as written. <see cref="ConsecutiveErrors"/> is deprecated and means gateway errors only, with 5xx
/// enforcement off (see <see cref="Operations.DeprecatedFields"/>).
/// </summary>
public sealed record OutlierDetectionView(
    long? Consecutive5xxErrors,
    long? ConsecutiveErrors,
    long? ConsecutiveGatewayErrors,
    string? Interval,
    string? BaseEjectionTime,
    long? MaxEjectionPercent,
    long? MinHealthPercent)
{
    public static OutlierDetectionView From(JsonObject o) => new(
        o.Int("consecutive5xxErrors"), o.Int("consecutiveErrors"), o.Int("consecutiveGatewayErrors"),
        o.Str("interval"), o.Str("baseEjectionTime"), o.Int("maxEjectionPercent"), o.Int("minHealthPercent"));
}

public sealed record ConnectionPoolView(long? MaxConnections, string? ConnectTimeout, long? Http1MaxPendingRequests, long? Http2MaxRequests, long? MaxRequestsPerConnection, long? MaxRetries)
{
    public static ConnectionPoolView From(JsonObject pool)
    {
        var tcp = pool.Obj("tcp");
        var http = pool.Obj("http");
        return new ConnectionPoolView(tcp.Int("maxConnections"), tcp.Str("connectTimeout"), http.Int("http1MaxPendingRequests"),
            http.Int("http2MaxRequests"), http.Int("maxRequestsPerConnection"), http.Int("maxRetries"));
    }
}
