using System.Collections.Immutable;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Cluster.Metrics;

/// <summary>
/// Reads Istio's metrics through Prometheus's HTTP API (<c>/api/v1/query</c> and <c>/api/v1/query_range</c>,
/// prometheus.io/docs/prometheus/latest/querying/api). Throws <see cref="PrometheusException"/> with a reason a person
/// can act on; the shared reader shows it as "no data".
/// </summary>
internal sealed class PrometheusTrafficSource(HttpClient http, MetricsOptions options) : ITrafficSource, IPromQlReader
{
    public async Task<double?> ReadNumberAsync(string promql, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var data = await QueryAsync("query", promql, new Dictionary<string, string> { ["time"] = PrometheusQueries.Seconds(at) }, cancellationToken);
        if ((string?)data["resultType"] == "scalar" && data["result"] is JsonArray { Count: 2 } scalar)
        {
            return double.TryParse((string?)scalar[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
        }
        var values = Points(data).Select(p => p.Value).ToList();
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new PrometheusException($"the query answered {values.Count} series; a gate needs one number (aggregate it, e.g. with sum(...))"),
        };
    }

    public string Name => TrafficSources.Prometheus;

    public async Task<IReadOnlyList<TrafficSample>> ReadServiceAsync(ServiceTrafficQuery query, CancellationToken cancellationToken)
    {
        var range = new Dictionary<string, string>
        {
            ["start"] = PrometheusQueries.Seconds(query.End - query.Range),
            ["end"] = PrometheusQueries.Seconds(query.End),
            ["step"] = PrometheusQueries.Duration(query.Step),
        };
        var requests = QueryAsync("query_range", PrometheusQueries.ServiceRequests(options.Reporter, query.Fqdn, query.Window), range, cancellationToken);
        var buckets = QueryAsync("query_range", PrometheusQueries.ServiceDurationBuckets(options.Reporter, query.Fqdn, query.Window), range, cancellationToken);
        var byTime = new SortedDictionary<long, (List<RequestRate> Requests, List<BucketRate> Buckets)>();
        foreach (var (labels, at, value) in Points(await requests))
        {
            Slot(at).Requests.Add(new RequestRate(labels.GetValueOrDefault("destination_version", ""), labels.GetValueOrDefault("response_code", ""),
                labels.GetValueOrDefault("grpc_response_status", ""), value));
        }
        foreach (var (labels, at, value) in Points(await buckets))
        {
            if (ParseBound(labels.GetValueOrDefault("le")) is { } bound)
            {
                Slot(at).Buckets.Add(new BucketRate(labels.GetValueOrDefault("destination_version", ""), bound, value));
            }
        }
        if (byTime.Count == 0)
        {
            return [TrafficSample.Empty(query.End)];
        }
        return [.. byTime.Select(p => new TrafficSample(DateTimeOffset.FromUnixTimeMilliseconds(p.Key), [.. p.Value.Requests], [.. p.Value.Buckets]))];

        (List<RequestRate> Requests, List<BucketRate> Buckets) Slot(long at)
        {
            if (!byTime.TryGetValue(at, out var slot))
            {
                slot = ([], []);
                byTime[at] = slot;
            }
            return slot;
        }
    }

    public async Task<IReadOnlyList<ServiceRequestRate>> ReadMeshAsync(MetricsWindow window, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var result = await QueryAsync("query", PrometheusQueries.MeshRequests(options.Reporter, window),
            new Dictionary<string, string> { ["time"] = PrometheusQueries.Seconds(at) }, cancellationToken);
        return [.. Points(result).Select(p => new ServiceRequestRate(p.Labels.GetValueOrDefault("destination_service_namespace", ""),
            p.Labels.GetValueOrDefault("destination_service_name", ""), p.Labels.GetValueOrDefault("response_code", ""),
            p.Labels.GetValueOrDefault("grpc_response_status", ""), p.Value,
            SourceWorkload(p.Labels.GetValueOrDefault("source_workload", "")), p.Labels.GetValueOrDefault("source_workload_namespace", "")))];
    }

    // Istio says "unknown" when it could not tell the caller (a request from outside the mesh): no caller, for the map.
    private static string SourceWorkload(string label) => label == "unknown" ? "" : label;

    private async Task<JsonObject> QueryAsync(string endpoint, string promql, Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        parameters["query"] = promql;
        // POST with a form body, which the API accepts like GET, keeps long queries out of URL length limits and logs.
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/" + endpoint) { Content = new FormUrlEncodedContent(parameters) };
        AddCredentials(request);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null)
        {
            throw new PrometheusException($"Prometheus answered {(int)response.StatusCode} {response.ReasonPhrase} without its JSON envelope (is Metrics:PrometheusUrl Prometheus's base URL?)");
        }
        if ((string?)body["status"] != "success")
        {
            throw new PrometheusException($"Prometheus refused the query ({(int)response.StatusCode}, {(string?)body["errorType"]}): {(string?)body["error"]}");
        }
        return body["data"] as JsonObject ?? throw new PrometheusException("Prometheus answered success without data");
    }

    private void AddCredentials(HttpRequestMessage request)
    {
        var token = options.BearerToken is { Length: > 0 } fixedToken ? fixedToken
            : options.BearerTokenFile is { Length: > 0 } file ? File.ReadAllText(file).Trim()
            : null;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (options.Username is { Length: > 0 } user)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
        }
    }

    /// <summary>Every (labels, time, value) of a vector or matrix result; NaN and infinite rates (0/0) are left out.</summary>
    private static IEnumerable<(IReadOnlyDictionary<string, string> Labels, long At, double Value)> Points(JsonObject data)
    {
        foreach (var series in data["result"] as JsonArray ?? [])
        {
            var labels = (series?["metric"] as JsonObject ?? []).ToDictionary(p => p.Key, p => (string?)p.Value ?? "");
            var values = series?["values"] is JsonArray many ? many.OfType<JsonArray>() : series?["value"] is JsonArray one ? [one] : [];
            foreach (var pair in values)
            {
                if (pair.Count == 2 && double.TryParse((string?)pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
                {
                    yield return (labels, (long)Math.Round(pair[0]!.GetValue<double>() * 1000), value);
                }
            }
        }
    }

    private static double? ParseBound(string? le) => le switch
    {
        null => null,
        "+Inf" => double.PositiveInfinity,
        _ => double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) ? bound : null,
    };
}

/// <summary>Prometheus could not answer a query; the message says why in words a person can act on.</summary>
public sealed class PrometheusException(string message) : Exception(message);
