using System.Net;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Traffic;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MeshDashboard.Cluster.Tests.Metrics;

/// <summary>
/// The Prometheus reader against a fake Prometheus HTTP API: the PromQL it sends (Istio's metric and label names, the
/// reporter, the window), the figures it makes of the answers, and the sharing, budget and timeout rules.
/// Answers follow the envelope of prometheus.io/docs/prometheus/latest/querying/api (status/data/resultType/result).
/// </summary>
public sealed class PrometheusTrafficTests
{
    private const string Fqdn = "reviews.bookinfo.svc.cluster.local";
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakePrometheus _prometheus = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly MeshState _state = ReviewsState();

    private MeshService Reviews => _state.FindService("bookinfo", "reviews")!;

    private SharedTrafficMetrics Reader(MetricsOptions? options = null)
    {
        options ??= new MetricsOptions { PrometheusUrl = "http://prometheus.test:9090/" };
        var http = new HttpClient(_prometheus) { BaseAddress = new Uri(options.PrometheusUrl!) };
        return new SharedTrafficMetrics(new PrometheusTrafficSource(http, options), options, _time, NullLogger<SharedTrafficMetrics>.Instance);
    }

    private static MetricsWindow Window(string text) => MetricsWindow.TryParse(text, out _)!;

    [Fact]
    public async Task ServiceRead_AsksForIstioMetricsOfTheServiceAndSplitsThemBySubset()
    {
        var t = Start.ToUnixTimeSeconds();
        _prometheus.Answer("istio_requests_total", $$"""
            {"resultType":"matrix","result":[
              {"metric":{"destination_version":"v1","response_code":"200"},"values":[[{{t - 30}},"8"],[{{t}},"9"]]},
              {"metric":{"destination_version":"v2","response_code":"200","grpc_response_status":"0"},"values":[[{{t}},"0.5"]]},
              {"metric":{"destination_version":"v2","response_code":"503"},"values":[[{{t}},"0.5"]]}]}
            """);
        _prometheus.Answer("istio_request_duration_milliseconds_bucket", $$"""
            {"resultType":"matrix","result":[
              {"metric":{"destination_version":"v1","le":"25"},"values":[[{{t}},"9"]]},
              {"metric":{"destination_version":"v1","le":"+Inf"},"values":[[{{t}},"9"]]},
              {"metric":{"destination_version":"v2","le":"100"},"values":[[{{t}},"0.5"]]},
              {"metric":{"destination_version":"v2","le":"250"},"values":[[{{t}},"1"]]},
              {"metric":{"destination_version":"v2","le":"+Inf"},"values":[[{{t}},"1"]]}]}
            """);

        var traffic = await Reader().GetServiceAsync(_state, Reviews, Window("5m"), TestContext.Current.CancellationToken);

        Assert.Equal(TrafficAvailability.Live, traffic.Availability);
        Assert.Equal("prometheus", traffic.Source);
        Assert.Equal(0.9, traffic.Subset("v1")!.Share!.Value, 6);
        Assert.Equal(0.5, traffic.Subset("v2")!.Figures.SuccessRate);
        Assert.Equal(100, traffic.Subset("v2")!.Figures.P50Ms!.Value, 6);
        Assert.Equal(220, traffic.Subset("v2")!.Figures.P90Ms!.Value, 6);
        Assert.Equal([8.0, 9.0], traffic.Subset("v1")!.Series.Select(p => p.RequestsPerSecond));
        var queries = _prometheus.Queries.ToList();
        Assert.Equal(2, queries.Count);
        Assert.All(queries, q => Assert.Equal("/api/v1/query_range", q.Endpoint));
        Assert.Contains(queries, q => q.PromQl == $"sum by (destination_version, response_code, grpc_response_status) (rate(istio_requests_total{{reporter=\"destination\",destination_service=\"{Fqdn}\"}}[5m]))");
        Assert.Contains(queries, q => q.PromQl == $"sum by (destination_version, le) (rate(istio_request_duration_milliseconds_bucket{{reporter=\"destination\",destination_service=\"{Fqdn}\"}}[5m]))");
        Assert.Equal((Start - TimeSpan.FromMinutes(15)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), queries[0].Parameters["start"]);
        Assert.Equal("30s", queries[0].Parameters["step"]);
    }

    [Fact]
    public async Task ManyCallers_ShareOneReadPerRefreshInterval()
    {
        var reader = Reader();
        var token = TestContext.Current.CancellationToken;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => reader.GetServiceAsync(_state, Reviews, Window("5m"), token)));
        await reader.GetServiceAsync(_state, Reviews, Window("5m"), token);
        Assert.Equal(2, _prometheus.Queries.Count);

        _time.Advance(TimeSpan.FromSeconds(10));
        await reader.GetServiceAsync(_state, Reviews, Window("5m"), token);
        Assert.Equal(4, _prometheus.Queries.Count);
    }

    [Fact]
    public async Task MeshRead_IsOneInstantQueryByServiceAndCode()
    {
        _prometheus.Answer("destination_service_namespace", """
            {"resultType":"vector","result":[
              {"metric":{"destination_service_namespace":"bookinfo","destination_service_name":"reviews","response_code":"200"},"value":[1,"3"]},
              {"metric":{"destination_service_namespace":"bookinfo","destination_service_name":"reviews","response_code":"500"},"value":[1,"1"]},
              {"metric":{"destination_service_namespace":"bookinfo","destination_service_name":"details","response_code":"200"},"value":[1,"NaN"]}]}
            """);

        var mesh = await Reader().GetMeshAsync(Window("1m"), TestContext.Current.CancellationToken);

        Assert.Equal(4, mesh.Of("bookinfo", "reviews")!.RequestsPerSecond, 6);
        Assert.Equal(0.25, mesh.Of("bookinfo", "reviews")!.ErrorRate!.Value, 6);
        Assert.Null(mesh.Of("bookinfo", "details"));
        Assert.Equal("/api/v1/query", Assert.Single(_prometheus.Queries).Endpoint);
    }

    [Fact]
    public async Task RefusedQuery_IsNoDataWithPrometheussReason()
    {
        _prometheus.Answer("istio_requests_total", () => Task.FromResult(FakePrometheus.Json(HttpStatusCode.UnprocessableEntity,
            """{"status":"error","errorType":"execution","error":"query processing would load too many samples"}""")));

        var traffic = await Reader().GetServiceAsync(_state, Reviews, Window("5m"), TestContext.Current.CancellationToken);

        Assert.Equal(TrafficAvailability.NoData, traffic.Availability);
        Assert.Contains("too many samples", traffic.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotPrometheus_IsNoDataSayingTheUrlIsWrong()
    {
        _prometheus.Answer("istio_requests_total", () => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("<html>") }));

        var traffic = await Reader().GetServiceAsync(_state, Reviews, Window("5m"), TestContext.Current.CancellationToken);

        Assert.Equal(TrafficAvailability.NoData, traffic.Availability);
        Assert.Contains("PrometheusUrl", traffic.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowPrometheus_AnswersNoDataAtTheTimeout_AndTheLateAnswerServesTheNextCaller()
    {
        var answer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _prometheus.Answer("istio_requests_total", () => answer.Task);
        var reader = Reader();
        var token = TestContext.Current.CancellationToken;

        var pending = reader.GetServiceAsync(_state, Reviews, Window("5m"), token);
        while (_prometheus.Queries.Count < 2)
        {
            await Task.Yield();
        }
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        var late = await pending;

        Assert.Equal(TrafficAvailability.NoData, late.Availability);
        Assert.Contains("did not answer within 5s", late.Reason, StringComparison.Ordinal);

        answer.SetResult(FakePrometheus.Json(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"matrix","result":[]}}"""));
        var next = await reader.GetServiceAsync(_state, Reviews, Window("5m"), token);
        Assert.Equal(TrafficAvailability.Live, next.Availability);
        Assert.Equal(2, _prometheus.Queries.Count);
    }

    [Fact]
    public async Task BudgetSpent_LaterServicesHaveNoDataUntilTheNextInterval()
    {
        var options = new MetricsOptions { PrometheusUrl = "http://prometheus.test:9090", MaxServicesPerRefresh = 1 };
        var reader = Reader(options);
        var token = TestContext.Current.CancellationToken;
        var details = _state.FindService("bookinfo", "details")!;

        Assert.Equal(TrafficAvailability.Live, (await reader.GetServiceAsync(_state, Reviews, Window("5m"), token)).Availability);
        var refused = await reader.GetServiceAsync(_state, details, Window("5m"), token);
        Assert.Equal(TrafficAvailability.NoData, refused.Availability);
        Assert.Contains("MaxServicesPerRefresh", refused.Reason, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TrafficAvailability.Live, (await reader.GetServiceAsync(_state, details, Window("5m"), token)).Availability);
    }

    [Fact]
    public async Task Credentials_GoAsBearerOrBasicAuthorization()
    {
        var token = TestContext.Current.CancellationToken;
        await Reader(new MetricsOptions { PrometheusUrl = "http://p:9090", BearerToken = "s3cret" }).GetMeshAsync(Window("1m"), token);
        await Reader(new MetricsOptions { PrometheusUrl = "http://p:9090", Username = "kiali", Password = "pw" }).GetMeshAsync(Window("1m"), token);

        Assert.Equal(["Bearer s3cret", "Basic " + Convert.ToBase64String("kiali:pw"u8.ToArray())], _prometheus.Queries.Select(q => q.Authorization));
    }

    [Theory]
    [InlineData("PrometheusUrl", "prometheus:9090", "absolute http or https URL")]
    [InlineData("PrometheusUrl", "ftp://p", "absolute http or https URL")]
    [InlineData("Reporter", "both", "Reporter")]
    [InlineData("CaFile", "/nonexistent/ca.pem", "CaFile")]
    [InlineData("MaxServicesPerRefresh", "0", "MaxServicesPerRefresh")]
    public void Options_AreRefusedAtStartWithTheSettingNamed(string setting, string value, string expected)
    {
        var options = new MetricsOptions { PrometheusUrl = "http://p:9090" };
        typeof(MetricsOptions).GetProperty(setting)!.SetValue(options, setting == "MaxServicesPerRefresh" ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : value);

        var result = new ValidateMetricsOptions().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_RefuseBearerAndBasicTogether()
    {
        var result = new ValidateMetricsOptions().Validate(null, new MetricsOptions { PrometheusUrl = "http://p:9090", BearerToken = "t", Username = "u", Password = "p" });

        Assert.True(result.Failed);
        Assert.Contains("not both", result.FailureMessage, StringComparison.Ordinal);
    }

    private static MeshState ReviewsState()
    {
        KubeObject Parse(ResourceKind kind, string json) => KubeObject.Parse(kind, json);
        string Pod(string app, string version) => $$"""
            {"metadata":{"name":"{{app}}-{{version}}","namespace":"bookinfo","labels":{"app":"{{app}}","version":"{{version}}"} },
             "spec":{},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}
            }
            """;
        string Service(string name) => $$$"""{"metadata":{"name":"{{{name}}}","namespace":"bookinfo"},"spec":{"selector":{"app":"{{{name}}}"},"ports":[{"port":9080}]}}""";
        return new MeshState(MeshSnapshot.From(
        [
            Parse(ResourceKind.Service, Service("reviews")),
            Parse(ResourceKind.Service, Service("details")),
            Parse(ResourceKind.Pod, Pod("reviews", "v1")),
            Parse(ResourceKind.Pod, Pod("reviews", "v2")),
            Parse(ResourceKind.Pod, Pod("details", "v1")),
            Parse(ResourceKind.DestinationRule, """
                {"metadata":{"name":"reviews","namespace":"bookinfo"},
                 "spec":{"host":"reviews","subsets":[{"name":"v1","labels":{"version":"v1"}},{"name":"v2","labels":{"version":"v2"}}]}}
                """),
        ]));
    }
}
