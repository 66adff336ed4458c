using System.Globalization;
using System.Text;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Cluster.Metrics;

/// <summary>
/// Our PromQL, over Istio's standard metrics as Istio's service dashboard and Kiali read them
/// (manifests/addons/dashboards/istio-service-dashboard.json; kiali prometheus/metrics.go): <c>rate()</c> of
/// <c>istio_requests_total</c> and of <c>istio_request_duration_milliseconds_bucket</c> for one <c>destination_service</c>
/// and one reporter, summed by <c>destination_version</c>. Where the dashboards ask for success and each percentile in
/// separate queries, we ask once for rates by response code and once for the buckets, and compute success and
/// p50/p90/p99 from them with <c>histogram_quantile</c>'s own rule (<see cref="HistogramQuantile"/>): the same
/// numbers with two queries per service instead of five.
/// </summary>
internal static class PrometheusQueries
{
    public const string RequestsMetric = "istio_requests_total";
    public const string DurationBucketMetric = "istio_request_duration_milliseconds_bucket";

    public static string ServiceRequests(string reporter, string fqdn, MetricsWindow window) =>
        $"sum by (destination_version, response_code, grpc_response_status) (rate({RequestsMetric}{{reporter=\"{Escape(reporter)}\",destination_service=\"{Escape(fqdn)}\"}}[{window.Text}]))";

    public static string ServiceDurationBuckets(string reporter, string fqdn, MetricsWindow window) =>
        $"sum by (destination_version, le) (rate({DurationBucketMetric}{{reporter=\"{Escape(reporter)}\",destination_service=\"{Escape(fqdn)}\"}}[{window.Text}]))";

    /// <summary>
    /// Every service's rates by response code and by caller (<c>source_workload</c> in <c>source_workload_namespace</c>),
    /// the caller labels of Istio's standard metrics (istio.io/latest/docs/reference/config/metrics): one query answers both the overview and the mesh map.
    /// </summary>
    public static string MeshRequests(string reporter, MetricsWindow window) =>
        $"sum by (source_workload_namespace, source_workload, destination_service_namespace, destination_service_name, response_code, grpc_response_status) (rate({RequestsMetric}{{reporter=\"{Escape(reporter)}\"}}[{window.Text}]))";

    /// <summary>A PromQL double-quoted string: backslash and quote escaped, as in Go's string literals.</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c switch { '\\' => "\\\\", '"' => "\\\"", '\n' => "\\n", _ => c.ToString() });
        }
        return text.ToString();
    }

    public static string Seconds(DateTimeOffset at) => (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
}
