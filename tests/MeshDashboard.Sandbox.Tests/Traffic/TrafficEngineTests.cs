using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Sandbox.DemoMesh;
using MeshDashboard.Sandbox.Traffic;

namespace MeshDashboard.Sandbox.Tests.Traffic;

/// <summary>
/// The simulated clients over the demo mesh with a seeded random source and a clock moved by hand: what each reporter
/// records for weights, faults, pod annotations, retries, timeouts and mirrors. Behaviour follows Istio's
/// VirtualService reference (HTTPRoute, HTTPFaultInjection: aborts and delays happen in the caller's proxy, retries
/// and timeouts are off with a fault; HTTPRetry) and the labels of istio.io/latest/docs/reference/config/metrics.
/// </summary>
public sealed class TrafficEngineTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Reviews = "reviews.bookinfo.svc.cluster.local";

    private readonly TrafficLedger _ledger = new(Start, TimeSpan.FromMinutes(75), TimeSpan.FromSeconds(5));

    private TrafficEngine Engine(double rps = 100) =>
        new(new TrafficOptions { RequestsPerSecond = rps, Mix = [new RequestShape()] }, new Random(1234), _ledger);

    /// <summary>Runs the engine for <paramref name="seconds"/> one-second ticks.</summary>
    private void Run(TrafficEngine engine, MeshSnapshot snapshot, int seconds)
    {
        for (var s = 1; s <= seconds; s++)
        {
            engine.Tick(snapshot, TimeSpan.FromSeconds(1), Start.AddSeconds(s));
        }
    }

    private static MeshSnapshot Demo(string? reviewsHttp = null, Func<KubeObject, KubeObject>? pods = null)
    {
        var objects = DemoMeshSeeder.Manifest().Select(json => new KubeObject(Enum.Parse<ResourceKind>((string)json["kind"]!), json)).ToList();
        if (reviewsHttp is not null)
        {
            var vs = objects.Single(o => o.Kind == ResourceKind.VirtualService && o.Name == "reviews").CloneRaw();
            vs["spec"]!["http"] = JsonNode.Parse(reviewsHttp);
            objects.RemoveAll(o => o.Kind == ResourceKind.VirtualService && o.Name == "reviews");
            objects.Add(new KubeObject(ResourceKind.VirtualService, vs));
        }
        return MeshSnapshot.From(pods is null ? objects : objects.Select(o => o.Kind == ResourceKind.Pod ? pods(o) : o));
    }

    private static Func<KubeObject, KubeObject> Annotate(string app, string version, params (string Key, string Value)[] annotations) => pod =>
    {
        if (pod.Labels.GetValueOrDefault("app") != app || pod.Labels.GetValueOrDefault("version") != version)
        {
            return pod;
        }
        var raw = pod.CloneRaw();
        var metadata = (JsonObject)raw["metadata"]!;
        var map = new JsonObject();
        foreach (var (key, value) in annotations)
        {
            map[key] = value;
        }
        metadata["annotations"] = map;
        return new KubeObject(ResourceKind.Pod, raw);
    };

    /// <summary>Sums <c>istio_requests_total</c> over the series whose labels contain every given pair.</summary>
    private double Requests(params (string Label, string Value)[] filter)
    {
        var total = 0.0;
        foreach (var line in _ledger.ToPrometheusText().Split('\n').Where(l => l.StartsWith("istio_requests_total{", StringComparison.Ordinal)))
        {
            if (filter.All(f => line.Contains($"{f.Label}=\"{f.Value}\"", StringComparison.Ordinal)))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    private const string Split9010 = """
        [{"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 90}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 10}]}]
        """;

    [Fact]
    public void Weights_SplitTheRequestsBetweenSubsets()
    {
        Run(Engine(), Demo(Split9010), 60);

        var v1 = Requests(("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v1"));
        var v2 = Requests(("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2"));
        Assert.Equal(6000, v1 + v2);
        Assert.InRange(v2 / (v1 + v2), 0.08, 0.12);
        Assert.Equal(6000, Requests(("reporter", "source"), ("destination_service", Reviews), ("response_code", "200")));
    }

    [Fact]
    public void FractionalRates_CarryOverBetweenTicks()
    {
        Run(Engine(rps: 0.5), Demo(Split9010), 10);

        Assert.Equal(5, Requests(("reporter", "source"), ("destination_service", Reviews)));
    }

    [Fact]
    public void AbortFault_IsAnsweredByTheCallersProxy_SoOnlyTheSourceReportsIt()
    {
        Run(Engine(), Demo("""
            [{"fault": {"abort": {"httpStatus": 503, "percentage": {"value": 50}}}, "route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]
            """), 60);

        var aborted = Requests(("reporter", "source"), ("destination_service", Reviews), ("response_code", "503"), ("response_flags", "FI"), ("destination_version", "unknown"));
        Assert.InRange(aborted / 6000, 0.45, 0.55);
        Assert.Equal(0, Requests(("reporter", "destination"), ("destination_service", Reviews), ("response_code", "503")));
        Assert.Equal(6000 - aborted, Requests(("reporter", "destination"), ("destination_service", Reviews)));
    }

    [Fact]
    public void PodErrorRate_FailsItsSubset_AndTheMeshDefaultRetriesA503Twice()
    {
        var pods = Annotate("reviews", "v2", (TrafficAnnotations.ErrorRate, "1"), (TrafficAnnotations.ErrorCode, "503"));

        Run(Engine(), Demo(Split9010, pods), 60);

        var failed = Requests(("reporter", "source"), ("destination_service", Reviews), ("response_code", "503"), ("destination_version", "v2"));
        Assert.True(failed > 0);
        // One try and the default two retries, each reported by the pod.
        Assert.Equal(3 * failed, Requests(("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2"), ("response_code", "503")));
        Assert.Equal(0, Requests(("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v1"), ("response_code", "503")));
    }

    [Fact]
    public void PodErrorsOf500_AreNotRetriedByTheMeshDefault()
    {
        Run(Engine(), Demo(Split9010, Annotate("reviews", "v2", (TrafficAnnotations.ErrorRate, "1"))), 30);

        Assert.Equal(
            Requests(("reporter", "source"), ("destination_service", Reviews), ("response_code", "500")),
            Requests(("reporter", "destination"), ("destination_service", Reviews), ("response_code", "500")));
    }

    [Fact]
    public void RouteTimeout_AnswersSlowPodsWith504AtTheSource()
    {
        var pods = Annotate("reviews", "v1", (TrafficAnnotations.LatencyMs, "500"));

        Run(Engine(), Demo("""[{"timeout": "100ms", "retries": {"attempts": 0}, "route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]""", pods), 10);

        Assert.Equal(1000, Requests(("reporter", "source"), ("destination_service", Reviews), ("response_code", "504"), ("response_flags", "UT")));
        Assert.Equal(1000, Requests(("reporter", "destination"), ("destination_service", Reviews), ("response_code", "200")));
    }

    [Fact]
    public void DelayFault_AddsToWhatTheCallerWaits()
    {
        Run(Engine(), Demo("""
            [{"fault": {"delay": {"fixedDelay": "3s", "percentage": {"value": 100}}}, "route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]
            """), 10);

        var sample = _ledger.ReadService("source", "bookinfo", "reviews", TimeSpan.FromSeconds(10), Start.AddSeconds(10), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.InRange(sample[^1].FiguresOf(_ => true).P50Ms!.Value, 2500, 5000);
        var pods = _ledger.ReadService("destination", "bookinfo", "reviews", TimeSpan.FromSeconds(10), Start.AddSeconds(10), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.InRange(pods[^1].FiguresOf(_ => true).P99Ms!.Value, 0, 50);
    }

    [Fact]
    public void Mirror_SendsShadowRequestsThatTheMirrorsPodsReport()
    {
        Run(Engine(), Demo("""
            [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "mirror": {"host": "reviews", "subset": "v3"}, "mirrorPercentage": {"value": 50}}]
            """), 20);

        var shadows = _ledger.ToPrometheusText().Split('\n').Single(l => l.StartsWith("meshdashboard_sandbox_shadow_requests_total{", StringComparison.Ordinal) && l.Contains("\"v3\"", StringComparison.Ordinal));
        var count = double.Parse(shadows[(shadows.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(count / 2000, 0.45, 0.55);
        Assert.Equal(count, Requests(("reporter", "destination"), ("destination_version", "v3")));
        Assert.Equal(0, Requests(("reporter", "source"), ("destination_version", "v3")));
    }

    [Fact]
    public void AWildcardVirtualService_RoutesTheHostsWithoutOneOfTheirOwn()
    {
        // Looked up by host, a wildcard declares no host of its own: the simulator must still try it for every host.
        var wildcard = new KubeObject(ResourceKind.VirtualService, (JsonObject)JsonNode.Parse("""
            {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
             "metadata": {"namespace": "bookinfo", "name": "teapot", "creationTimestamp": "2026-12-01T00:00:00Z"},
             "spec": {"hosts": ["*.bookinfo.svc.cluster.local"],
                      "http": [{"fault": {"abort": {"httpStatus": 418, "percentage": {"value": 100}}}, "route": [{"destination": {"host": "ratings"}}]}]}}
            """)!);

        Run(Engine(), Demo(Split9010).With(wildcard), 10);

        // productpage, details and ratings have no VirtualService of their own: all their requests are aborted, and the
        // caller's proxy reports them against the rule's destination.
        Assert.Equal(3000, Requests(("reporter", "source"), ("destination_service", "ratings.bookinfo.svc.cluster.local"), ("response_code", "418")));
        // The exact host is more specific than the wildcard (Envoy's domain lookup): reviews keeps its own routes.
        Assert.Equal(0, Requests(("reporter", "source"), ("destination_service", Reviews), ("response_code", "418")));
    }

    [Fact]
    public void HeaderRules_RouteTheMatchingShareOfTheMix()
    {
        var engine = new TrafficEngine(new TrafficOptions { RequestsPerSecond = 100 }, new Random(7), _ledger);

        // The default mix: one request in ten from end-user tester, whom the demo's dark launch sends to v2 with a 50% abort.
        Run(engine, Demo(), 60);

        var v2 = Requests(("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2"));
        Assert.InRange(v2 / 6000, 0.03, 0.07);
        Assert.InRange(Requests(("reporter", "source"), ("destination_service", Reviews), ("response_flags", "FI")) / 6000, 0.03, 0.07);
    }

    [Fact]
    public void Exposition_IsPrometheusTextWithIstiosLabelsAndHistogram()
    {
        Run(Engine(rps: 1), Demo(Split9010), 3);

        var text = _ledger.ToPrometheusText();

        Assert.Contains("# TYPE istio_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE istio_request_duration_milliseconds histogram\n", text, StringComparison.Ordinal);
        Assert.Matches(new Regex("""istio_requests_total\{reporter="destination",source_workload="productpage-v1",source_workload_namespace="bookinfo",destination_service="reviews\.bookinfo\.svc\.cluster\.local",destination_service_name="reviews",destination_service_namespace="bookinfo",destination_workload="reviews-v1",destination_workload_namespace="bookinfo",destination_app="reviews",destination_version="v1",request_protocol="http",response_code="200",response_flags="-",connection_security_policy="mutual_tls"\} \d+\n"""), text);
        Assert.Matches(new Regex("""istio_request_duration_milliseconds_bucket\{reporter="destination",[^}]*destination_version="v1",[^}]*le="\+Inf"\} \d+\n"""), text);
        Assert.Matches(new Regex("""istio_request_duration_milliseconds_count\{reporter="source",[^}]*\} \d+\n"""), text);
    }

    [Fact]
    public void EmbeddedRead_ComputesRatesFromTheKeptCounters()
    {
        Run(Engine(), Demo(Split9010), 120);

        var samples = _ledger.ReadService("destination", "bookinfo", "reviews", TimeSpan.FromMinutes(1), Start.AddSeconds(120), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));

        Assert.Equal(3, samples.Count);
        Assert.All(samples.Skip(1), s => Assert.Equal(100, s.FiguresOf(_ => true).RequestsPerSecond, 6));
        var mesh = MeshTraffic.From("sandbox", MetricsWindow.Default, Start, _ledger.ReadMesh("destination", TimeSpan.FromMinutes(1)));
        Assert.Equal(100, mesh.Of("bookinfo", "reviews")!.RequestsPerSecond, 6);
    }
}
