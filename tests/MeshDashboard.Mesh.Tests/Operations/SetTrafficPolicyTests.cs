using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

public class SetTrafficPolicyTests
{
    private const string PolicyDr = """
        {
          "host": "reviews",
          "exportTo": ["."],
          "trafficPolicy": {
            "connectionPool": {"tcp": {"maxConnections": 10, "tcpKeepalive": {"time": "7200s"}}, "http": {"idleTimeout": "30s", "maxRetries": 2}},
            "outlierDetection": {"consecutiveErrors": 7, "interval": "5m", "splitExternalLocalOriginErrors": false},
            "loadBalancer": {"simple": "LEAST_CONN", "warmupDurationSecs": "60s"},
            "tls": {"mode": "SIMPLE", "sni": "reviews.example.com"},
            "portLevelSettings": [{"port": {"number": 9080}, "loadBalancer": {"simple": "RANDOM"}}]
          },
          "subsets": [
            {"name": "v1", "labels": {"version": "v1"}},
            {"name": "v2", "labels": {"version": "v2"}, "trafficPolicy": {"tls": {"mode": "ISTIO_MUTUAL"}}}
          ]
        }
        """;

    private static readonly OutlierDetectionSettings Outlier = new(5, 3, "10s", "30s", 50, 20);

    private static readonly ConnectionPoolSettings Pool = new(100, "250ms", 10, 1000, 1, 3);

    [Fact]
    public void SetTrafficPolicy_WritesAllOutlierFieldsAndMigratesConsecutiveErrors()
    {
        var plan = new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(Outlier, Pool, "ROUND_ROBIN", "SIMPLE")).Plan(Bookinfo(dr: PolicyDr));

        var outlier = plan.Single().After.At("spec.trafficPolicy.outlierDetection")!;
        Assert.Null(outlier["consecutiveErrors"]);
        Assert.Equal(5, outlier["consecutive5xxErrors"]!.GetValue<int>());
        Assert.Equal(3, outlier["consecutiveGatewayErrors"]!.GetValue<int>());
        Assert.Equal("10s", outlier["interval"]!.GetValue<string>());
        Assert.Equal("30s", outlier["baseEjectionTime"]!.GetValue<string>());
        Assert.Equal(50, outlier["maxEjectionPercent"]!.GetValue<int>());
        Assert.Equal(20, outlier["minHealthPercent"]!.GetValue<int>());
        Assert.False(outlier["splitExternalLocalOriginErrors"]!.GetValue<bool>());
        Assert.Equal("reviews: traffic policy for all subsets", plan.Summary);
    }

    [Fact]
    public void SetTrafficPolicy_KeepsUnknownSubFieldsAndPortLevelSettings()
    {
        var after = new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(Outlier, Pool, "ROUND_ROBIN", "SIMPLE")).Plan(Bookinfo(dr: PolicyDr)).Single().After!;

        var policy = after.At("spec.trafficPolicy")!;
        Assert.Equal("7200s", policy.At("connectionPool.tcp.tcpKeepalive.time")!.GetValue<string>());
        Assert.Equal("30s", policy.At("connectionPool.http.idleTimeout")!.GetValue<string>());
        Assert.Equal("reviews.example.com", policy.At("tls.sni")!.GetValue<string>());
        Assert.Equal("60s", policy.At("loadBalancer.warmupDurationSecs")!.GetValue<string>());
        Assert.Equal("""[{"port":{"number":9080},"loadBalancer":{"simple":"RANDOM"}}]""", policy["portLevelSettings"].Json());
        Assert.Equal("[\".\"]", after.At("spec.exportTo").Json());
        Assert.Equal("keep me", after.At("metadata.annotations.note")!.GetValue<string>());
        Assert.Equal("""{"tls":{"mode":"ISTIO_MUTUAL"}}""", after.At("spec.subsets[1].trafficPolicy").Json());
    }

    [Fact]
    public void SetTrafficPolicy_WritesTheConnectionPool()
    {
        var pool = new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(ConnectionPool: Pool)).Plan(Bookinfo(dr: PolicyDr)).Single().After.At("spec.trafficPolicy.connectionPool")!;

        Assert.Equal(100, pool.At("tcp.maxConnections")!.GetValue<int>());
        Assert.Equal("250ms", pool.At("tcp.connectTimeout")!.GetValue<string>());
        Assert.Equal(10, pool.At("http.http1MaxPendingRequests")!.GetValue<int>());
        Assert.Equal(1000, pool.At("http.http2MaxRequests")!.GetValue<int>());
        Assert.Equal(1, pool.At("http.maxRequestsPerConnection")!.GetValue<int>());
        Assert.Equal(3, pool.At("http.maxRetries")!.GetValue<int>());
    }

    [Fact]
    public void SetTrafficPolicy_RemoveOutlierDetectionRemovesIt()
    {
        var policy = new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(Patch<OutlierDetectionSettings>.Remove, Pool, "RANDOM", "SIMPLE"))
            .Plan(Bookinfo(dr: PolicyDr)).Single().After.At("spec.trafficPolicy")!;

        Assert.Null(policy["outlierDetection"]);
        Assert.NotNull(policy["connectionPool"]);
    }

    [Fact]
    public void SetTrafficPolicy_RemovePoolRemovesOnlyTheModelledLimits()
    {
        var pool = new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(ConnectionPool: Patch<ConnectionPoolSettings>.Remove))
            .Plan(Bookinfo(dr: PolicyDr)).Single().After.At("spec.trafficPolicy.connectionPool")!;

        Assert.Equal("""{"tcp":{"tcpKeepalive":{"time":"7200s"}},"http":{"idleTimeout":"30s"}}""", pool.Json());
    }

    [Fact]
    public void SetTrafficPolicy_KeepsEveryPartAndFieldItLeavesOut()
    {
        var before = Bookinfo(dr: PolicyDr);
        var after = new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(new OutlierDetectionSettings(Interval: "7m")))
            .Plan(before).Single().After!;

        // Only interval changed, and the deprecated field was migrated because outlier detection was edited.
        Assert.Equal("""{"interval":"7m","splitExternalLocalOriginErrors":false,"consecutiveGatewayErrors":7,"consecutive5xxErrors":0}""",
            after.At("spec.trafficPolicy.outlierDetection").Json());
        Assert.Equal("""{"mode":"SIMPLE","sni":"reviews.example.com"}""", after.At("spec.trafficPolicy.tls").Json());
        Assert.Equal(before.Find(new(ResourceKind.DestinationRule, "bookinfo", "reviews"))!.Raw.At("spec.trafficPolicy.connectionPool").Json(),
            after.At("spec.trafficPolicy.connectionPool").Json());
        Assert.Equal("LEAST_CONN", after.At("spec.trafficPolicy.loadBalancer.simple")!.GetValue<string>());
    }

    [Fact]
    public void SetTrafficPolicy_WithNothingToSet_ChangesNothing()
    {
        var plan = new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings()).Plan(Bookinfo(dr: PolicyDr));

        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void SetTrafficPolicy_RemovedFieldsGoAndTheirEmptyParentsWithThem()
    {
        var policy = new SetTrafficPolicy(Reviews, "v2", new TrafficPolicySettings(TlsMode: Patch<string>.Remove))
            .Plan(Bookinfo(dr: PolicyDr)).Single().After.At("spec.subsets[1]")!;

        Assert.Null(policy["trafficPolicy"]);
    }

    [Fact]
    public void SetTrafficPolicy_WritesLeastConnAsLeastRequest()
    {
        var lb = new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(LoadBalancer: "LEAST_CONN")).Plan(Bookinfo(dr: PolicyDr)).Single().After.At("spec.trafficPolicy.loadBalancer.simple")!;

        Assert.Equal("LEAST_REQUEST", lb.GetValue<string>());
    }

    [Fact]
    public void SetTrafficPolicy_EditsOneSubsetOnly()
    {
        var plan = new SetTrafficPolicy(Reviews, "v2", new TrafficPolicySettings(Outlier, TlsMode: "ISTIO_MUTUAL")).Plan(Bookinfo(dr: PolicyDr));

        var after = plan.Single().After!;
        Assert.Equal(5, after.At("spec.subsets[1].trafficPolicy.outlierDetection.consecutive5xxErrors")!.GetValue<int>());
        Assert.Equal("ISTIO_MUTUAL", after.At("spec.subsets[1].trafficPolicy.tls.mode")!.GetValue<string>());
        Assert.Equal(7, after.At("spec.trafficPolicy.outlierDetection.consecutiveErrors")!.GetValue<int>());
        Assert.Null(after.At("spec.subsets[0].trafficPolicy"));
        Assert.Equal("reviews: traffic policy for subset v2", plan.Summary);
    }

    [Fact]
    public void SetTrafficPolicy_MigratesTheDemoSubsetPolicyWithItsMeaning()
    {
        // The demo's v2 says consecutiveErrors: 7 (gateway errors only). Editing another field keeps that meaning.
        var after = new SetTrafficPolicy(MyApp, "v2", new TrafficPolicySettings(new OutlierDetectionSettings(Interval: "5m")))
            .Plan(MyAppDemo()).Single().After!;

        var outlier = after.At("spec.subsets[1].trafficPolicy.outlierDetection")!;
        Assert.Null(outlier["consecutiveErrors"]);
        Assert.Equal(7, outlier["consecutiveGatewayErrors"]!.GetValue<long>());
        Assert.Equal(0, outlier["consecutive5xxErrors"]!.GetValue<int>());
    }

    [Fact]
    public void SetTrafficPolicy_FieldsThePersonSets_WinOverTheMigratedOnes()
    {
        var after = new SetTrafficPolicy(MyApp, "v2", new TrafficPolicySettings(new OutlierDetectionSettings(Consecutive5xxErrors: 3)))
            .Plan(MyAppDemo()).Single().After!;

        var outlier = after.At("spec.subsets[1].trafficPolicy.outlierDetection")!;
        Assert.Equal(3, outlier["consecutive5xxErrors"]!.GetValue<int>());
        Assert.Equal(7, outlier["consecutiveGatewayErrors"]!.GetValue<long>());
    }

    [Fact]
    public void SetTrafficPolicy_RequiresADestinationRule()
    {
        FailsOn(new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(Outlier)), Bookinfo(dr: null), "service", "no DestinationRule");
    }

    [Fact]
    public void SetTrafficPolicy_RequiresAnExistingSubset()
    {
        FailsOn(new SetTrafficPolicy(Reviews, "v9", new TrafficPolicySettings(Outlier)), Bookinfo(), "subset", "not defined");
    }

    [Fact]
    public void SetTrafficPolicy_RejectsNegativeCounts()
    {
        var op = new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(
            new OutlierDetectionSettings(Consecutive5xxErrors: -1, ConsecutiveGatewayErrors: -2),
            new ConnectionPoolSettings(MaxConnections: -1, Http1MaxPendingRequests: -1, Http2MaxRequests: -1, MaxRequestsPerConnection: -1, MaxRetries: -1)));

        var fields = Fails(op, Bookinfo()).Select(e => e.Field).ToList();

        Assert.Equal(
            ["outlierDetection.consecutive5xxErrors", "outlierDetection.consecutiveGatewayErrors", "connectionPool.maxConnections", "connectionPool.http1MaxPendingRequests",
             "connectionPool.http2MaxRequests", "connectionPool.maxRequestsPerConnection", "connectionPool.maxRetries"],
            fields);
    }

    [Fact]
    public void SetTrafficPolicy_RejectsPercentsOutside0To100()
    {
        var op = new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(new OutlierDetectionSettings(MaxEjectionPercent: 101, MinHealthPercent: -1)));

        var fields = Fails(op, Bookinfo()).Select(e => e.Field).ToList();

        Assert.Equal(["outlierDetection.maxEjectionPercent", "outlierDetection.minHealthPercent"], fields);
    }

    [Fact]
    public void SetTrafficPolicy_RejectsBadDurations()
    {
        FailsOn(new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(new OutlierDetectionSettings(Interval: "10"))), Bookinfo(), "outlierDetection.interval", "not a duration");
        FailsOn(new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(new OutlierDetectionSettings(BaseEjectionTime: "0s"))), Bookinfo(), "outlierDetection.baseEjectionTime", "1ms");
        FailsOn(new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(ConnectionPool: new ConnectionPoolSettings(ConnectTimeout: "100ns"))), Bookinfo(), "connectionPool.connectTimeout", "1ms");
    }

    [Fact]
    public void SetTrafficPolicy_RejectsUnknownLoadBalancerAndTlsMode()
    {
        FailsOn(new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(LoadBalancer: "FASTEST")), Bookinfo(), "loadBalancer", "not a load balancer");
        FailsOn(new SetTrafficPolicy(Reviews, null, new TrafficPolicySettings(TlsMode: "istio_mutual")), Bookinfo(), "tlsMode", "not a TLS mode");
    }
}
