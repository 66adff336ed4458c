using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

/// <summary>
/// "A field nobody asked to change stays as it was": every operation, run over objects shaped like Istio's own samples,
/// changes exactly the JSON paths its meaning needs (a structural diff, key order included), adds no empty objects, and
/// a <see cref="RestoreObjects"/> of the originals gives back exactly the original objects.
/// </summary>
/// <remarks>
/// The fixtures are written here in the shapes of istio/istio <c>samples/bookinfo/networking/*.yaml</c> and
/// <c>samples/httpbin</c>, and of the mirroring task on istio.io; each names the sample it follows. Like the samples,
/// they carry no labels or annotations, so an added <c>metadata.labels: {}</c> shows in the diff.
/// </remarks>
public class LosslessEditsTests
{
    // ---- Fixtures -------------------------------------------------------------------------------------------------

    /// <summary>Follows destination-rule-all.yaml (the reviews entry): three subsets by version label, no policy.</summary>
    private const string ReviewsDrAll = """
        {"host": "reviews", "subsets": [
          {"name": "v1", "labels": {"version": "v1"}},
          {"name": "v2", "labels": {"version": "v2"}},
          {"name": "v3", "labels": {"version": "v3"}}]}
        """;

    /// <summary>Follows destination-rule-all-mtls.yaml (the ratings entry): ISTIO_MUTUAL for the host, four subsets.</summary>
    private const string RatingsDrMtls = """
        {"host": "ratings", "trafficPolicy": {"tls": {"mode": "ISTIO_MUTUAL"}}, "subsets": [
          {"name": "v1", "labels": {"version": "v1"}},
          {"name": "v2", "labels": {"version": "v2"}},
          {"name": "v2-mysql", "labels": {"version": "v2-mysql"}},
          {"name": "v2-mysql-vm", "labels": {"version": "v2-mysql-vm"}}]}
        """;

    /// <summary>Follows virtual-service-reviews-80-20.yaml: one unnamed rule, two weighted destinations.</summary>
    private const string Reviews8020 = """
        {"hosts": ["reviews"], "http": [{"route": [
          {"destination": {"host": "reviews", "subset": "v1"}, "weight": 80},
          {"destination": {"host": "reviews", "subset": "v2"}, "weight": 20}]}]}
        """;

    /// <summary>Follows virtual-service-reviews-50-v3.yaml, with every host spelled as the FQDN.</summary>
    private const string Reviews50V3Fqdn = """
        {"hosts": ["reviews.bookinfo.svc.cluster.local"], "http": [{"route": [
          {"destination": {"host": "reviews.bookinfo.svc.cluster.local", "subset": "v1"}, "weight": 50},
          {"destination": {"host": "reviews.bookinfo.svc.cluster.local", "subset": "v3"}, "weight": 50}]}]}
        """;

    /// <summary>Follows virtual-service-reviews-90-10.yaml, paused at 100/0: the canary's destination is there at weight 0.</summary>
    private const string Reviews100To0 = """
        {"hosts": ["reviews"], "http": [{"route": [
          {"destination": {"host": "reviews", "subset": "v1"}, "weight": 100},
          {"destination": {"host": "reviews", "subset": "v2"}, "weight": 0}]}]}
        """;

    /// <summary>Follows virtual-service-reviews-jason-v2-v3.yaml: an unnamed header rule, then an unnamed catch-all.</summary>
    private const string ReviewsJasonV2V3 = """
        {"hosts": ["reviews"], "http": [
          {"match": [{"headers": {"end-user": {"exact": "jason"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
          {"route": [{"destination": {"host": "reviews", "subset": "v3"}}]}]}
        """;

    /// <summary>Follows virtual-service-ratings-test-abort.yaml (percentage before httpStatus, as the sample writes it).</summary>
    private const string RatingsTestAbort = """
        {"hosts": ["ratings"], "http": [
          {"match": [{"headers": {"end-user": {"exact": "jason"}}}],
           "fault": {"abort": {"percentage": {"value": 100.0}, "httpStatus": 500}},
           "route": [{"destination": {"host": "ratings", "subset": "v1"}}]},
          {"route": [{"destination": {"host": "ratings", "subset": "v1"}}]}]}
        """;

    /// <summary>
    /// virtual-service-ratings-test-abort.yaml as the API server returns it: it stores custom resources as untyped
    /// maps, so every object comes back with its keys sorted (httpStatus before percentage).
    /// </summary>
    private const string RatingsTestAbortFromApi = """
        {"hosts": ["ratings"], "http": [
          {"fault": {"abort": {"httpStatus": 500, "percentage": {"value": 100}}},
           "match": [{"headers": {"end-user": {"exact": "jason"}}}],
           "route": [{"destination": {"host": "ratings", "subset": "v1"}}]},
          {"route": [{"destination": {"host": "ratings", "subset": "v1"}}]}]}
        """;

    /// <summary>Follows virtual-service-ratings-test-delay.yaml as released, with the deprecated integer <c>percent</c>.</summary>
    private const string RatingsTestDelay = """
        {"hosts": ["ratings"], "http": [
          {"match": [{"headers": {"end-user": {"exact": "jason"}}}],
           "fault": {"delay": {"percent": 100, "fixedDelay": "7s"}},
           "route": [{"destination": {"host": "ratings", "subset": "v1"}}]},
          {"route": [{"destination": {"host": "ratings", "subset": "v1"}}]}]}
        """;

    /// <summary>Follows virtual-service-all-v1.yaml (the ratings entry): everything to v1, one destination.</summary>
    private const string RatingsAllV1 = """
        {"hosts": ["ratings"], "http": [{"route": [{"destination": {"host": "ratings", "subset": "v1"}}]}]}
        """;

    /// <summary>Follows the httpbin mirroring task on istio.io: all to v1 (weight 100) and a copy of every request to v2.</summary>
    private const string HttpbinMirror = """
        {"hosts": ["httpbin"], "http": [{"route": [{"destination": {"host": "httpbin", "subset": "v1"}, "weight": 100}],
          "mirror": {"host": "httpbin", "subset": "v2"}, "mirrorPercentage": {"value": 100.0}}]}
        """;

    /// <summary>Follows the request-timeouts task on istio.io: all reviews traffic to v2 with a half-second timeout.</summary>
    private const string ReviewsV2Timeout = """
        {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v2"}}], "timeout": "0.5s"}]}
        """;

    /// <summary>Follows samples/tcp-echo/tcp-echo-20-v2.yaml (the TCP traffic-shifting task), bound to sidecars instead of a gateway.</summary>
    private const string TcpEcho8020 = """
        {"hosts": ["tcp-echo"], "tcp": [{"match": [{"port": 9000}], "route": [
          {"destination": {"host": "tcp-echo", "port": {"number": 9000}, "subset": "v1"}, "weight": 80},
          {"destination": {"host": "tcp-echo", "port": {"number": 9000}, "subset": "v2"}, "weight": 20}]}]}
        """;

    /// <summary>Follows samples/tcp-echo/destination-rule-all.yaml.</summary>
    private const string TcpEchoDr = """
        {"host": "tcp-echo", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}
        """;

    private static MeshSnapshot TcpMesh() => Snapshot(Service("default", "tcp-echo"), Dr("default", "tcp-echo", TcpEchoDr), Vs("default", "tcp-echo", TcpEcho8020));

    private static readonly ObjectRef TcpEcho = Svc("default", "tcp-echo");

    /// <summary>Follows the httpbin circuit-breaking task's DestinationRule, with the deprecated consecutiveErrors of older releases.</summary>
    private const string HttpbinCircuitBreaker = """
        {"host": "httpbin", "trafficPolicy": {
           "connectionPool": {"tcp": {"maxConnections": 1}, "http": {"http1MaxPendingRequests": 1, "maxRequestsPerConnection": 1}},
           "outlierDetection": {"consecutiveErrors": 1, "interval": "1s", "baseEjectionTime": "3m", "maxEjectionPercent": 100}},
         "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}
        """;

    /// <summary>Follows bookinfo-gateway.yaml's binding, split into a live and a preview host for blue/green, FQDN hosts with a port.</summary>
    private const string ProductpageLive = """
        {"hosts": ["bookinfo.example.com"], "gateways": ["bookinfo-gateway"], "http": [{"route": [
          {"destination": {"host": "productpage.bookinfo.svc.cluster.local", "subset": "v2", "port": {"number": 9080}}, "weight": 100},
          {"destination": {"host": "productpage.bookinfo.svc.cluster.local", "subset": "v1", "port": {"number": 9080}}, "weight": 0}]}]}
        """;

    private const string ProductpagePreview = """
        {"hosts": ["preview.bookinfo.example.com"], "gateways": ["bookinfo-gateway"], "http": [{"route": [
          {"destination": {"host": "productpage.bookinfo.svc.cluster.local", "subset": "v1", "port": {"number": 9080}}}]}]}
        """;

    private const string ProductpageDr = """
        {"host": "productpage", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}
        """;

    private static readonly ObjectRef Ratings = Svc("bookinfo", "ratings");
    private static readonly ObjectRef Httpbin = Svc("default", "httpbin");
    private static readonly ObjectRef Productpage = Svc("bookinfo", "productpage");
    private static readonly ObjectRef Details = Svc("bookinfo", "details");

    /// <summary>Samples' objects carry no labels or annotations; the test helper adds only resourceVersion and uid.</summary>
    private static MeshSnapshot Mesh(string? reviewsVs = null, string? ratingsVs = null, string? ratingsDr = RatingsDrMtls, string? httpbinVs = null, string httpbinDr = HttpbinCircuitBreaker)
    {
        var objects = new List<KubeObject>
        {
            Service("bookinfo", "reviews"), Service("bookinfo", "ratings"), Service("bookinfo", "productpage"), Service("bookinfo", "details"),
            Service("default", "httpbin"),
            Pod("bookinfo", "details", "v1"), Pod("bookinfo", "details", "v2"), Pod("bookinfo", "details", "v2"),
            Dr("bookinfo", "reviews", ReviewsDrAll),
            Dr("default", "httpbin", httpbinDr),
            Dr("bookinfo", "productpage", ProductpageDr),
            Vs("bookinfo", "productpage-live", ProductpageLive),
            Vs("bookinfo", "productpage-preview", ProductpagePreview),
        };
        if (ratingsDr is not null)
        {
            objects.Add(Dr("bookinfo", "ratings", ratingsDr));
        }
        if (reviewsVs is not null)
        {
            objects.Add(Vs("bookinfo", "reviews", reviewsVs));
        }
        if (ratingsVs is not null)
        {
            objects.Add(Vs("bookinfo", "ratings", ratingsVs));
        }
        if (httpbinVs is not null)
        {
            objects.Add(Vs("default", "httpbin", httpbinVs));
        }
        return Snapshot([.. objects]);
    }

    // ---- The table ------------------------------------------------------------------------------------------------

    /// <summary>One row: a snapshot, an operation on it, and for each object it should change, the exact paths.</summary>
    private sealed record Case(Func<MeshSnapshot> Mesh, Func<MeshSnapshot, ITrafficOperation> Operation, Dictionary<string, string[]> Expected);

    private static Dictionary<string, int> W(params (string Subset, int Weight)[] weights) => weights.ToDictionary(w => w.Subset, w => w.Weight);

    private static Dictionary<string, string[]> InVs(string name, params string[] paths) => new() { [$"VirtualService/{name}"] = paths };

    private static Dictionary<string, string[]> InDr(string name, params string[] paths) => new() { [$"DestinationRule/{name}"] = paths };

    private static readonly Dictionary<string, string[]> Nothing = [];

    private static RuleOrigin Origin(MeshSnapshot snapshot, string vs, int index) =>
        new(index, HttpRouteView.FingerprintOf((JsonObject)snapshot.Find(ResourceKind.VirtualService, "bookinfo", vs)!.Raw["spec"]!["http"]![index]!));

    private static RoutingRule HeaderRule(string name, string user, string subset, RuleOrigin? origin) =>
        new(name, [new MatchCondition(ConditionKind.Header, "end-user", MatchKind.Exact, user)], W((subset, 100))) { Origin = origin };

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // SetWeights changes only weights; a new subset is appended; one that carried traffic and gets 0 goes.
        ["SetWeights 80-20 to 50-50"] = new(() => Mesh(Reviews8020), _ => new SetWeights(Reviews, W(("v1", 50), ("v2", 50))),
            InVs("reviews", "spec.http[0].route[0].weight", "spec.http[0].route[1].weight")),
        ["SetWeights 80-20 adds v3 at the end"] = new(() => Mesh(Reviews8020), _ => new SetWeights(Reviews, W(("v3", 20), ("v1", 60), ("v2", 20))),
            InVs("reviews", "spec.http[0].route[0].weight", "spec.http[0].route[2] (added)")),
        ["SetWeights 80-20 to all v2"] = new(() => Mesh(Reviews8020), _ => new SetWeights(Reviews, W(("v2", 100), ("v1", 0))),
            InVs("reviews", "spec.http[0].route[0] (removed)", "spec.http[0].route[0].weight")),
        ["SetWeights FQDN 50-v3, input in another order"] = new(() => Mesh(Reviews50V3Fqdn), _ => new SetWeights(Reviews, W(("v3", 70), ("v1", 30))),
            InVs("reviews", "spec.http[0].route[0].weight", "spec.http[0].route[1].weight")),
        ["SetWeights FQDN 50-v3 adds v2"] = new(() => Mesh(Reviews50V3Fqdn), _ => new SetWeights(Reviews, W(("v1", 50), ("v2", 25), ("v3", 25))),
            InVs("reviews", "spec.http[0].route[1].weight", "spec.http[0].route[2] (added)")),
        ["SetWeights resumes a canary paused at 0"] = new(() => Mesh(Reviews100To0), _ => new SetWeights(Reviews, W(("v1", 90), ("v2", 10))),
            InVs("reviews", "spec.http[0].route[0].weight", "spec.http[0].route[1].weight")),
        ["SetWeights keeps a weight-0 destination"] = new(() => Mesh(Reviews100To0), _ => new SetWeights(Reviews, W(("v1", 100), ("v3", 0))),
            Nothing),
        ["SetWeights moves all to v3 beside a weight-0 v2"] = new(() => Mesh(Reviews100To0), _ => new SetWeights(Reviews, W(("v3", 100))),
            InVs("reviews", "spec.http[0].route[0] (removed)", "spec.http[0].route[1] (added)")),
        ["SetWeights on the catch-all after a header rule"] = new(() => Mesh(ReviewsJasonV2V3), _ => new SetWeights(Reviews, W(("v3", 80), ("v1", 20))),
            InVs("reviews", "spec.http[1].route[0].weight", "spec.http[1].route[1] (added)")),
        ["SetWeights beside a fault rule"] = new(() => Mesh(ratingsVs: RatingsTestAbort), _ => new SetWeights(Ratings, W(("v1", 50), ("v2", 50))),
            InVs("ratings", "spec.http[1].route[0].weight", "spec.http[1].route[1] (added)")),
        ["SetWeights beside a mirror"] = new(() => Mesh(httpbinVs: HttpbinMirror), _ => new SetWeights(Httpbin, W(("v1", 90), ("v2", 10))),
            new() { ["VirtualService/httpbin"] = ["spec.http[0].route[0].weight", "spec.http[0].route[1] (added)"] }),
        ["SetWeights creates a VirtualService"] = new(() => Mesh(), _ => new SetWeights(Reviews, W(("v1", 50), ("v2", 50))),
            InVs("reviews", "(created)")),

        // RouteAllTo: the others carried traffic and go; a sole destination's explicit weight: 100 stays.
        ["RouteAllTo from 80-20"] = new(() => Mesh(Reviews8020), _ => new RouteAllTo(Reviews, "v1"),
            InVs("reviews", "spec.http[0].route[0].weight", "spec.http[0].route[1] (removed)")),
        ["RouteAllTo where it already goes"] = new(() => Mesh(httpbinVs: HttpbinMirror), _ => new RouteAllTo(Httpbin, "v1"),
            Nothing),
        ["RouteAllTo another subset from all-v1"] = new(() => Mesh(ratingsVs: RatingsAllV1), _ => new RouteAllTo(Ratings, "v2"),
            InVs("ratings", "spec.http[0].route[0].destination.subset")),

        // SetRoutingRules: a rule edited from its origin gets its name; unchanged conditions and routes stay as written.
        ["SetRoutingRules names the jason rule"] = new(() => Mesh(ReviewsJasonV2V3),
            s => new SetRoutingRules(Reviews, [HeaderRule("jason", "jason", "v2", Origin(s, "reviews", 0))], W(("v3", 100))),
            InVs("reviews", "spec.http[0].name")),
        ["SetRoutingRules changes the header value"] = new(() => Mesh(ReviewsJasonV2V3),
            s => new SetRoutingRules(Reviews, [HeaderRule("jason", "tester", "v2", Origin(s, "reviews", 0))], W(("v3", 100))),
            InVs("reviews", "spec.http[0].name", "spec.http[0].match[0].headers.end-user.exact")),
        ["SetRoutingRules splits the fallback"] = new(() => Mesh(ReviewsJasonV2V3),
            s => new SetRoutingRules(Reviews, [HeaderRule("jason", "jason", "v2", Origin(s, "reviews", 0))], W(("v3", 50), ("v1", 50))),
            InVs("reviews", "spec.http[0].name", "spec.http[1].route[0].weight", "spec.http[1].route[1] (added)")),
        ["SetRoutingRules adds a rule before the split"] = new(() => Mesh(Reviews8020),
            _ => new SetRoutingRules(Reviews, [HeaderRule("jason", "jason", "v2", null)], W(("v1", 80), ("v2", 20))),
            InVs("reviews", "spec.http[0] (added)")),
        ["SetRoutingRules keeps the fault of the rule it edits"] = new(() => Mesh(ratingsVs: RatingsTestAbort),
            s => new SetRoutingRules(Ratings, [HeaderRule("jason", "jason", "v2", Origin(s, "ratings", 0))], W(("v1", 100))),
            InVs("ratings", "spec.http[0].name", "spec.http[0].route[0].destination.subset")),

        // SetFault changes only spec.http[i].fault.
        ["SetFault adds an abort to the 80-20 rule"] = new(() => Mesh(Reviews8020), _ => new SetFault(Reviews, "rule 1", new FaultSettings(10, 503, null, null, null)),
            InVs("reviews", "spec.http[0].fault")),
        ["SetFault changes the abort percentage"] = new(() => Mesh(ratingsVs: RatingsTestAbort), _ => new SetFault(Ratings, "rule 1", new FaultSettings(50, 500, null, null, null)),
            InVs("ratings", "spec.http[0].fault.abort.percentage.value")),
        ["SetFault changes the abort status, keys sorted as the API server returns them"] = new(() => Mesh(ratingsVs: RatingsTestAbortFromApi),
            _ => new SetFault(Ratings, "rule 1", new FaultSettings(100, 503, null, null, null)),
            InVs("ratings", "spec.http[0].fault.abort.httpStatus")),
        ["SetFault with the same abort"] = new(() => Mesh(ratingsVs: RatingsTestAbort), _ => new SetFault(Ratings, "rule 1", new FaultSettings(100, 500, null, null, null)),
            Nothing),
        ["SetFault switches to a gRPC status"] = new(() => Mesh(ratingsVs: RatingsTestAbort), _ => new SetFault(Ratings, "rule 1", new FaultSettings(100, null, "UNAVAILABLE", null, null)),
            InVs("ratings", "spec.http[0].fault.abort.httpStatus", "spec.http[0].fault.abort.grpcStatus")),
        ["SetFault removes the abort"] = new(() => Mesh(ratingsVs: RatingsTestAbort), _ => new SetFault(Ratings, "rule 1", null),
            InVs("ratings", "spec.http[0].fault")),
        ["SetFault delays the catch-all"] = new(() => Mesh(ratingsVs: RatingsTestAbort), _ => new SetFault(Ratings, "2", new FaultSettings(null, null, null, 10, "5s")),
            InVs("ratings", "spec.http[1].fault")),
        ["SetFault migrates the deprecated delay percent"] = new(() => Mesh(ratingsVs: RatingsTestDelay), _ => new SetFault(Ratings, "rule 1", new FaultSettings(null, null, null, 100, "7s")),
            InVs("ratings", "spec.http[0].fault.delay.percent", "spec.http[0].fault.delay.percentage")),
        ["SetFault on a mirrored route"] = new(() => Mesh(httpbinVs: HttpbinMirror), _ => new SetFault(Httpbin, "rule 1", new FaultSettings(null, null, null, 5, "2s")),
            new() { ["VirtualService/httpbin"] = ["spec.http[0].fault"] }),

        // SetTimeoutAndRetries changes only spec.http[i].timeout and the retries fields it sets.
        ["SetTimeoutAndRetries adds a timeout to the 80-20 rule"] = new(() => Mesh(Reviews8020), _ => new SetTimeoutAndRetries(Reviews, "rule 1", "5s"),
            InVs("reviews", "spec.http[0].timeout")),
        ["SetTimeoutAndRetries changes the timeout of the request-timeouts task"] = new(() => Mesh(ReviewsV2Timeout), _ => new SetTimeoutAndRetries(Reviews, "rule 1", "1s"),
            InVs("reviews", "spec.http[0].timeout")),
        ["SetTimeoutAndRetries removes the timeout"] = new(() => Mesh(ReviewsV2Timeout), _ => new SetTimeoutAndRetries(Reviews, "rule 1", Patch<string>.Remove),
            InVs("reviews", "spec.http[0].timeout")),
        ["SetTimeoutAndRetries adds retries beside a fault"] = new(() => Mesh(ratingsVs: RatingsTestAbort),
            _ => new SetTimeoutAndRetries(Ratings, "rule 1", Retries: new RetrySettings(3, "2s", "5xx")),
            InVs("ratings", "spec.http[0].retries")),
        ["SetTimeoutAndRetries sets attempts beside a timeout"] = new(() => Mesh(ReviewsV2Timeout),
            _ => new SetTimeoutAndRetries(Reviews, "rule 1", Retries: new RetrySettings(Attempts: 0)),
            InVs("reviews", "spec.http[0].retries")),
        ["SetTimeoutAndRetries removes what is not there"] = new(() => Mesh(ratingsVs: RatingsAllV1),
            _ => new SetTimeoutAndRetries(Ratings, "rule 1", Patch<string>.Remove, Patch<RetrySettings>.Remove),
            Nothing),

        // SetMirror changes only the rule's mirror fields, and of those only what differs.
        ["SetMirror changes the httpbin mirror's percentage"] = new(() => Mesh(httpbinVs: HttpbinMirror), _ => new SetMirror(Httpbin, "rule 1", new MirrorSettings("v2", 10)),
            new() { ["VirtualService/httpbin"] = ["spec.http[0].mirrorPercentage.value"] }),
        ["SetMirror with the httpbin mirror as it is"] = new(() => Mesh(httpbinVs: HttpbinMirror), _ => new SetMirror(Httpbin, "rule 1", new MirrorSettings("v2", 100)),
            Nothing),
        ["SetMirror removes the httpbin mirror"] = new(() => Mesh(httpbinVs: HttpbinMirror), _ => new SetMirror(Httpbin, "rule 1", null),
            new() { ["VirtualService/httpbin"] = ["spec.http[0].mirror", "spec.http[0].mirrorPercentage"] }),
        ["SetMirror mirrors the 80-20 rule to v3"] = new(() => Mesh(Reviews8020), _ => new SetMirror(Reviews, "rule 1", new MirrorSettings("v3", 5)),
            InVs("reviews", "spec.http[0].mirror", "spec.http[0].mirrorPercentage")),

        // SetTcpWeights edits a TCP route as SetWeights edits an HTTP one.
        ["SetTcpWeights 80-20 to 50-50"] = new(TcpMesh, _ => new SetTcpWeights(TcpEcho, 0, W(("v1", 50), ("v2", 50))),
            new() { ["VirtualService/tcp-echo"] = ["spec.tcp[0].route[0].weight", "spec.tcp[0].route[1].weight"] }),
        ["SetTcpWeights 80-20 to all v2"] = new(TcpMesh, _ => new SetTcpWeights(TcpEcho, 0, W(("v2", 100), ("v1", 0))),
            new() { ["VirtualService/tcp-echo"] = ["spec.tcp[0].route[0] (removed)", "spec.tcp[0].route[0].weight"] }),

        // SetTrafficPolicy: a partial update changes its one field; touching outlier detection migrates consecutiveErrors.
        ["SetTrafficPolicy sets one pool limit"] = new(() => Mesh(), _ => new SetTrafficPolicy(Httpbin, null, new TrafficPolicySettings(ConnectionPool: new ConnectionPoolSettings(MaxConnections: 5))),
            new() { ["DestinationRule/httpbin"] = ["spec.trafficPolicy.connectionPool.tcp.maxConnections"] }),
        ["SetTrafficPolicy sets the outlier interval"] = new(() => Mesh(), _ => new SetTrafficPolicy(Httpbin, null, new TrafficPolicySettings(new OutlierDetectionSettings(Interval: "5s"))),
            new()
            {
                ["DestinationRule/httpbin"] =
                [
                    "spec.trafficPolicy.outlierDetection.interval", "spec.trafficPolicy.outlierDetection.consecutiveErrors",
                    "spec.trafficPolicy.outlierDetection.consecutiveGatewayErrors", "spec.trafficPolicy.outlierDetection.consecutive5xxErrors",
                ],
            }),
        ["SetTrafficPolicy sets the balancer without touching outlier detection"] = new(() => Mesh(), _ => new SetTrafficPolicy(Httpbin, null, new TrafficPolicySettings(LoadBalancer: "ROUND_ROBIN")),
            new() { ["DestinationRule/httpbin"] = ["spec.trafficPolicy.loadBalancer"] }),
        ["SetTrafficPolicy removes one pool limit"] = new(() => Mesh(), _ => new SetTrafficPolicy(Httpbin, null, new TrafficPolicySettings(ConnectionPool: new ConnectionPoolSettings(MaxRequestsPerConnection: Patch<int>.Remove))),
            new() { ["DestinationRule/httpbin"] = ["spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection"] }),
        ["SetTrafficPolicy beside mTLS"] = new(() => Mesh(), _ => new SetTrafficPolicy(Ratings, null, new TrafficPolicySettings(LoadBalancer: "LEAST_REQUEST")),
            InDr("ratings", "spec.trafficPolicy.loadBalancer")),
        ["SetTrafficPolicy on one subset"] = new(() => Mesh(), _ => new SetTrafficPolicy(Ratings, "v2", new TrafficPolicySettings(new OutlierDetectionSettings(Consecutive5xxErrors: 3))),
            InDr("ratings", "spec.subsets[1].trafficPolicy")),
        ["SetTrafficPolicy on a DestinationRule without policy"] = new(() => Mesh(), _ => new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(TlsMode: "ISTIO_MUTUAL")),
            InDr("reviews", "spec.trafficPolicy")),
        ["SetTrafficPolicy keeps an empty trafficPolicy it does not fill"] = new(
            () => Mesh(ratingsDr: """{"host": "ratings", "trafficPolicy": {}, "subsets": [{"name": "v1", "labels": {"version": "v1"}}]}"""),
            _ => new SetTrafficPolicy(Ratings, null, new TrafficPolicySettings(TlsMode: Patch<string>.Remove)),
            Nothing),

        // SwitchBlueGreen changes only the served subset of each gateway VirtualService.
        ["SwitchBlueGreen swaps live and preview"] = new(() => Mesh(), _ => new SwitchBlueGreen(Productpage, "v1"),
            new()
            {
                ["VirtualService/productpage-live"] = ["spec.http[0].route[0].weight", "spec.http[0].route[1].weight"],
                ["VirtualService/productpage-preview"] = ["spec.http[0].route[0].destination.subset"],
            }),

        // CreateRouting only creates.
        ["CreateRouting for details"] = new(() => Mesh(), _ => new CreateRouting(Details),
            new() { ["DestinationRule/details"] = ["(created)"], ["VirtualService/details"] = ["(created)"] }),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Operation_ChangesExactlyTheFieldsItMeans(string name)
    {
        var (mesh, operation, expected) = Cases[name];
        var snapshot = mesh();

        var plan = operation(snapshot).Plan(snapshot);

        var actual = plan.Changes.ToDictionary(c => $"{c.Target.Kind}/{c.Target.Name}", c => JsonDiff.Paths(c.Before?.Raw, c.After));
        Assert.Equal(
            expected.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {string.Join(", ", p.Value.Order(StringComparer.Ordinal))}"),
            actual.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {string.Join(", ", p.Value)}"));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Operation_AddsNoEmptyObjectOrList(string name)
    {
        var (mesh, operation, _) = Cases[name];
        var snapshot = mesh();

        var plan = operation(snapshot).Plan(snapshot);

        foreach (var change in plan.Changes.Where(c => c.After is not null))
        {
            var before = EmptyContainers(change.Before?.Raw, "").ToHashSet();
            Assert.DoesNotContain(EmptyContainers(change.After, ""), p => !before.Contains(p));
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void RestoreObjects_GivesBackExactlyTheOriginals(string name)
    {
        var (mesh, operation, _) = Cases[name];
        var start = mesh();
        var plan = operation(start).Plan(start);
        var changed = start.Apply(plan);

        var desired = plan.Changes.Select(c => (c.Target, c.Before is null ? null : (JsonObject?)c.Before.Raw.DeepClone())).ToList();
        var restored = changed.Apply(new RestoreObjects(plan.Changes.IsEmpty ? Reviews : plan.Changes[0].Target, "undo", desired).Plan(changed));

        foreach (var change in plan.Changes)
        {
            var original = start.Find(change.Target);
            var back = restored.Find(change.Target);
            Assert.Equal(original?.Raw.Json(), back?.Raw.Json());
        }
    }

    /// <summary>The paths of every empty object or list in a document.</summary>
    private static IEnumerable<string> EmptyContainers(JsonNode? node, string path) => node switch
    {
        JsonObject { Count: 0 } or JsonArray { Count: 0 } => [path],
        JsonObject o => o.SelectMany(p => EmptyContainers(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")),
        JsonArray a => a.SelectMany((n, i) => EmptyContainers(n, $"{path}[{i}]")),
        _ => [],
    };

    // ---- Details the path sets do not show --------------------------------------------------------------------------

    [Fact]
    public void SetWeights_SpellsAnAddedDestinationAsTheRouteSpellsTheService()
    {
        var snapshot = Mesh(Reviews50V3Fqdn);

        var after = new SetWeights(Reviews, W(("v1", 50), ("v2", 25), ("v3", 25))).Plan(snapshot).Single().After!;

        Assert.Equal("""{"destination":{"host":"reviews.bookinfo.svc.cluster.local","subset":"v2"},"weight":25}""", after.At("spec.http[0].route[2]").Json());
    }

    [Fact]
    public void SetRoutingRules_SpellsANewRuleAsTheVirtualServiceSpellsTheService()
    {
        var snapshot = Mesh(Reviews50V3Fqdn);

        var after = new SetRoutingRules(Reviews, [HeaderRule("jason", "jason", "v2", null)], W(("v1", 50), ("v3", 50))).Plan(snapshot).Single().After!;

        Assert.Equal("reviews.bookinfo.svc.cluster.local", after.At("spec.http[0].route[0].destination.host")!.GetValue<string>());
    }

    [Fact]
    public void SetFault_KeepsTheSamplesKeyOrderWhenChangingTheAbort()
    {
        var snapshot = Mesh(ratingsVs: RatingsTestAbort);

        var after = new SetFault(Ratings, "rule 1", new FaultSettings(25, 503, null, null, null)).Plan(snapshot).Single().After!;

        Assert.Equal("""{"percentage":{"value":25},"httpStatus":503}""", after.At("spec.http[0].fault.abort").Json());
    }

    [Fact]
    public void SetRoutingRules_KeepsMatchConditionsTheEditorDoesNotModel()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [
              {"name": "jason", "match": [{"sourceLabels": {"app": "productpage"}, "headers": {"end-user": {"exact": "jason"}}}],
               "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
              {"route": [{"destination": {"host": "reviews", "subset": "v3"}}]}]}
            """;

        var change = new SetRoutingRules(Reviews, [HeaderRule("jason", "tester", "v2", null)], W(("v3", 100))).Plan(Mesh(vs)).Single();

        Assert.Equal(["spec.http[0].match[0].headers.end-user.exact"], JsonDiff.Paths(change.Before!.Raw, change.After));
    }

    [Fact]
    public void SwitchBlueGreen_SwitchingBackGivesBackARouteWithAStandbyDestination()
    {
        var start = Mesh();
        var switched = start.Apply(new SwitchBlueGreen(Productpage, "v1").Plan(start));

        var back = switched.Apply(new SwitchBlueGreen(Productpage, "v2").Plan(switched));

        foreach (var name in new[] { "productpage-live", "productpage-preview" })
        {
            Assert.Equal(start.Find(ResourceKind.VirtualService, "bookinfo", name)!.Raw.Json(), back.Find(ResourceKind.VirtualService, "bookinfo", name)!.Raw.Json());
        }
    }

    [Fact]
    public void JsonDiff_ReportsKeyOrderValuesAndListEdits()
    {
        var before = JsonNode.Parse("""{"a": 1, "b": {"x": 1, "y": 2}, "l": [{"name": "p"}, {"name": "q"}, 3]}""");
        var after = JsonNode.Parse("""{"a": 1.0, "b": {"y": 2, "x": 1}, "l": [{"name": "n"}, {"name": "p"}, {"name": "q", "v": 1}], "c": true}""");

        Assert.Equal(["b (key order)", "c", "l[0] (added)", "l[2] (removed)", "l[2].v"], JsonDiff.Paths(before, after));
    }
}
