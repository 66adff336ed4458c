using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Traffic;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Traffic;

/// <summary>
/// The figures both readers compute from rates. Quantile cases follow prometheus promql/quantile.go
/// (bucketQuantile: linear interpolation inside the bucket, the first bucket from 0, +Inf answers the highest finite
/// bound); success follows Istio's service dashboard (non-5xx) and Kiali's error labels (code 0, gRPC 1..16).
/// </summary>
public sealed class TrafficFiguresTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Quantile_InterpolatesInsideTheBucketHoldingTheRank()
    {
        // 100 observations: 50 at or below 10 ms, 90 at or below 100 ms, all at or below 1000 ms.
        CumulativeBucket[] buckets = [new(10, 50), new(100, 90), new(1000, 100), new(double.PositiveInfinity, 100)];

        Assert.Equal(10, HistogramQuantile.Compute(0.5, buckets)!.Value, 6);
        Assert.Equal(100, HistogramQuantile.Compute(0.9, buckets)!.Value, 6);
        Assert.Equal(910, HistogramQuantile.Compute(0.99, buckets)!.Value, 6);
        Assert.Equal(5, HistogramQuantile.Compute(0.25, buckets)!.Value, 6);
    }

    [Fact]
    public void Quantile_InTheInfiniteBucket_IsTheHighestFiniteBound()
    {
        CumulativeBucket[] buckets = [new(10, 1), new(100, 2), new(double.PositiveInfinity, 10)];

        Assert.Equal(100, HistogramQuantile.Compute(0.99, buckets));
    }

    [Fact]
    public void Quantile_WithoutObservationsOrInfBucket_IsUnknown()
    {
        Assert.Null(HistogramQuantile.Compute(0.5, [new(10, 0), new(double.PositiveInfinity, 0)]));
        Assert.Null(HistogramQuantile.Compute(0.5, [new(10, 5), new(100, 5)]));
    }

    [Theory]
    [InlineData("200", "", true)]
    [InlineData("404", "", true)]
    [InlineData("503", "", false)]
    [InlineData("500", "", false)]
    [InlineData("0", "", false)]
    [InlineData("200", "0", true)]
    [InlineData("200", "14", false)]
    [InlineData("200", "17", true)]
    public void ResponseClass_CountsFiveHundredsNoResponseAndGrpcErrorsAsFailures(string code, string grpc, bool success)
    {
        Assert.Equal(success, ResponseClass.IsSuccess(code, grpc));
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("30s", 30)]
    [InlineData("1h", 3600)]
    [InlineData(null, 60)]
    public void Window_AcceptsPrometheusRanges(string? text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), MetricsWindow.TryParse(text, out _)!.Duration);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("5d")]
    [InlineData("m")]
    [InlineData("-5m")]
    [InlineData("1s")]
    [InlineData("7h")]
    [InlineData("5m;drop")]
    public void Window_RefusesWhatIsNotARangeWeAccept(string text)
    {
        Assert.Null(MetricsWindow.TryParse(text, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Aggregate_SplitsTheServiceBySubsetVersionsWithShareSuccessAndLatency()
    {
        var snapshot = Bookinfo();
        var catalog = MeshCatalog.Build(snapshot);
        var state = catalog.Index;
        var service = catalog.Services.Single(s => s.Name == "reviews");
        var sample = new TrafficSample(Now,
            [new("v1", "200", "", 9), new("v2", "200", "", 0.5), new("v2", "503", "", 0.5)],
            [new("v1", 25, 9), new("v1", double.PositiveInfinity, 9), new("v2", 250, 1), new("v2", double.PositiveInfinity, 1)]);

        var traffic = SubsetVersions.Aggregate(TrafficSources.Sandbox, MetricsWindow.Default, service, state.PodsOf(service.Service), [sample], Now);

        var v1 = traffic.Subset("v1")!;
        var v2 = traffic.Subset("v2")!;
        Assert.Equal(10, traffic.Service.RequestsPerSecond, 6);
        Assert.Equal(0.9, v1.Share!.Value, 6);
        Assert.Equal(1.0, v1.Figures.SuccessRate);
        Assert.Equal(0.5, v2.Figures.SuccessRate);
        Assert.Equal(247.5, v2.Figures.P99Ms!.Value, 6);
        Assert.Equal(0, traffic.Subset("v3")!.Figures.RequestsPerSecond);
        Assert.Null(traffic.Subset("v3")!.Figures.SuccessRate);
        Assert.Single(v2.Series);
    }

    [Fact]
    public void SubsetWithoutVersionLabel_TakesTheVersionsOfThePodsItSelects()
    {
        var pods = new[] { Pod("bookinfo", "reviews", "v1"), Pod("bookinfo", "reviews", "v2") };
        var subset = new SubsetInfo("all", new Dictionary<string, string> { ["app"] = "reviews" }, 2, 2, "reviews", null);

        Assert.Equal(["v1", "v2"], SubsetVersions.Of(subset, pods).Order());
    }
}
