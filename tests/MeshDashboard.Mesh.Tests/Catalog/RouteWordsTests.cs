using MeshDashboard.Mesh.Catalog;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Catalog;

/// <summary>Everything that moves traffic is in the words a service's routes are described with.</summary>
public class RouteWordsTests
{
    private static string Words(string vs) => Assert.Single(ServiceCatalog.Find(Bookinfo(vs), "bookinfo", "reviews")!.RoutingSummary);

    [Fact]
    public void AMirror_IsACopy_NotAShareOfTraffic()
    {
        // Shape of istio/istio samples/httpbin mirroring (route all to v1, mirror to v2) with a percentage, timeout and retries.
        var words = Words("""
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 100}],
              "mirror": {"host": "reviews", "subset": "v3"}, "mirrorPercentage": {"value": 20},
              "timeout": "500ms", "retries": {"attempts": 3, "perTryTimeout": "100ms", "retryOn": "5xx"}}]}
            """);

        Assert.Equal("everyone → v1 · copy of 20% to v3 (shadow, not answered from) · timeout 500ms · retries 3× (100ms each) on 5xx", words);
    }

    [Fact]
    public void AMirrorWithoutPercentage_CopiesEveryRequest()
    {
        var words = Words("""{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "mirror": {"host": "reviews", "subset": "v2"}}]}""");

        Assert.Contains("copy of 100% to v2", words, StringComparison.Ordinal);
    }

    [Fact]
    public void TcpRoutes_AreDescribedWithTheirWeights()
    {
        // Shape of istio/istio samples/tcp-echo/tcp-echo-20-v2.yaml: a port match, 80/20 between two subsets, through a gateway.
        var words = Words("""
            {"hosts": ["*"], "gateways": ["tcp-echo-gateway"], "tcp": [{"match": [{"port": 31400}],
              "route": [{"destination": {"host": "reviews", "subset": "v1", "port": {"number": 9000}}, "weight": 80},
                        {"destination": {"host": "reviews", "subset": "v2", "port": {"number": 9000}}, "weight": 20}]}]}
            """);

        Assert.Equal("* via tcp-echo-gateway: TCP port 31400 → 80% v1, 20% v2", words);
    }

    [Fact]
    public void EveryKindOfCondition_IsNamed()
    {
        var words = Words("""
            {"hosts": ["reviews"], "http": [
              {"match": [{"sourceLabels": {"env": "prod"}, "sourceNamespace": "frontend", "port": 9080,
                          "uri": {"prefix": "/API"}, "ignoreUriCase": true, "withoutHeaders": {"x-debug": {}}, "queryParams": {"beta": {"exact": "1"}}}],
               "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
              {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}
            """);

        Assert.Equal("not x-debug present and ?beta: 1 and uri starts with /API (any case) and port 9080 and from pods with env=prod and from namespace frontend → v2; everyone else → v1", words);
        Assert.DoesNotContain("other conditions", words, StringComparison.Ordinal);
    }

    [Fact]
    public void AVirtualServiceForTheMeshAndAGateway_NamesBoth()
    {
        var words = Words("""{"hosts": ["reviews"], "gateways": ["mesh", "bookinfo-gateway"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}""");

        Assert.Equal("via bookinfo-gateway and in the mesh: everyone → v1", words);
    }

    [Fact]
    public void RedirectsAndDirectResponses_SayWhatTheyAnswer()
    {
        var words = Words("""
            {"hosts": ["reviews"], "http": [
              {"match": [{"uri": {"exact": "/old"}}], "redirect": {"uri": "/new", "redirectCode": 302}},
              {"match": [{"uri": {"exact": "/down"}}], "directResponse": {"status": 503}},
              {"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "rewrite": {"uri": "/v1"}}]}
            """);

        Assert.Equal("uri: /old → redirects (302) to /new; uri: /down → answers 503 itself; everyone else → v1 · rewrites path to /v1", words);
    }
}
