using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Traffic;

/// <summary>
/// Which <c>destination_version</c> values belong to a subset. Istio labels a request with the receiving pod's
/// <c>version</c> label (ISTIO-FACTS, telemetry), not with the subset's name, so a subset is the versions of the pods
/// it selects: its own <c>version</c> label when it names one, otherwise the <c>version</c> labels of the service's
/// pods that carry every label of the subset. A subset that selects no pod yet still claims its named version.
/// </summary>
public static class SubsetVersions
{
    public const string VersionLabel = "version";

    public static ImmutableHashSet<string> Of(SubsetInfo subset, IEnumerable<KubeObject> servicePods)
    {
        if (subset.Labels.TryGetValue(VersionLabel, out var version))
        {
            return [version];
        }
        return [.. servicePods
            .Where(p => subset.Labels.All(l => p.Labels.TryGetValue(l.Key, out var value) && value == l.Value))
            .Select(p => p.Labels.GetValueOrDefault(VersionLabel))
            .OfType<string>()];
    }

    /// <summary>The service's figures now and per subset, with each one's share of the service's requests and its history.</summary>
    public static ServiceTraffic Aggregate(string source, MetricsWindow window, MeshService service, IEnumerable<KubeObject> servicePods,
        ImmutableArray<TrafficSample> samples, DateTimeOffset at)
    {
        var pods = servicePods.ToList();
        var latest = samples.IsEmpty ? TrafficSample.Empty(at) : samples[^1];
        var total = latest.FiguresOf(_ => true);
        var subsets = service.Subsets
            .DistinctBy(s => s.Name)
            .Select(subset =>
            {
                var versions = Of(subset, pods);
                var figures = latest.FiguresOf(versions.Contains);
                double? share = total.RequestsPerSecond > 0 ? figures.RequestsPerSecond / total.RequestsPerSecond : null;
                return new SubsetTraffic(subset.Name, figures, share, [.. samples.Select(s => s.PointOf(versions.Contains))]);
            });
        return new ServiceTraffic
        {
            Source = source,
            Window = window,
            Availability = TrafficAvailability.Live,
            At = at,
            Service = total,
            Subsets = [.. subsets],
            Series = [.. samples.Select(s => s.PointOf(_ => true))],
        };
    }
}
