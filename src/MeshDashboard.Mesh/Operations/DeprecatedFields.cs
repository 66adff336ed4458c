using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>A deprecated Istio field an editor touches, what it means, and what we write instead.</summary>
public sealed record DeprecatedField(string Path, string Meaning, string WrittenAs, string Source);

/// <summary>
/// Every deprecated field our editors migrate, each with the meaning istiod gives it, so an edit never changes what
/// the mesh does. The table is what the analyzer's hint (MD010) and the README say.
/// </summary>
public static class DeprecatedFields
{
    public static ImmutableArray<DeprecatedField> All { get; } =
    [
        new("trafficPolicy.outlierDetection.consecutiveErrors",
            "N consecutive gateway errors (502, 503, 504) eject a host; plain 5xx errors are not counted (5xx enforcement off)",
            "consecutiveGatewayErrors: N and consecutive5xxErrors: 0 (fields already set win, as in istiod)",
            "istio/istio pilot/pkg/networking/core/cluster_traffic_policy.go, applyOutlierDetection; istio/api networking/v1alpha3/destination_rule.proto"),
        new("fault.delay.percent",
            "an integer percentage of requests delayed",
            "fault.delay.percentage.value with the same number",
            "istio/api networking/v1alpha3/virtual_service.proto, HTTPFaultInjection.Delay.percent (deprecated)"),
        new("trafficPolicy.loadBalancer.simple: LEAST_CONN",
            "an alias of LEAST_REQUEST",
            "LEAST_REQUEST",
            "istio/api networking/v1alpha3/destination_rule.proto, LoadBalancerSettings.SimpleLB"),
    ];

    /// <summary>
    /// Rewrites a deprecated <c>consecutiveErrors: N</c> in place with its meaning: istiod counts it as gateway errors
    /// with 5xx enforcement off, and lets the newer fields, when present, override it.
    /// </summary>
    public static void MigrateOutlierDetection(JsonObject outlier)
    {
        if (outlier["consecutiveErrors"] is not JsonValue deprecated)
        {
            return;
        }
        outlier.Remove("consecutiveErrors");
        if (!deprecated.TryGetValue<long>(out var n) || n <= 0)
        {
            // 0 (or nothing readable) configures nothing in istiod.
            return;
        }
        if (outlier["consecutiveGatewayErrors"] is null)
        {
            outlier["consecutiveGatewayErrors"] = n;
        }
        if (outlier["consecutive5xxErrors"] is null)
        {
            outlier["consecutive5xxErrors"] = 0;
        }
    }
}
