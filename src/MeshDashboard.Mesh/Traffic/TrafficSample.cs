using System.Collections.Immutable;

namespace MeshDashboard.Mesh.Traffic;

/// <summary>
/// Requests per second to one service's pods of one <c>destination_version</c>, with one response code and gRPC status
/// (empty when the request was not gRPC), as <c>sum by (...) (rate(istio_requests_total[w]))</c> answers.
/// </summary>
public readonly record struct RequestRate(string Version, string ResponseCode, string GrpcStatus, double PerSecond);

/// <summary>One <c>le</c> bucket of <c>istio_request_duration_milliseconds</c> for one version, as a rate.</summary>
public readonly record struct BucketRate(string Version, double UpperBound, double PerSecond);

/// <summary>
/// What a reader learnt about one service at one instant, by version: the raw material of the figures. Both readers
/// (Prometheus and the sandbox's own) produce these; <see cref="FiguresOf"/> turns them into figures the same way.
/// </summary>
public sealed record TrafficSample(DateTimeOffset At, ImmutableArray<RequestRate> Requests, ImmutableArray<BucketRate> Buckets)
{
    public static TrafficSample Empty(DateTimeOffset at) => new(at, [], []);

    /// <summary>The figures of the pods whose version <paramref name="includes"/> accepts (every version: the service's).</summary>
    public TrafficFigures FiguresOf(Func<string, bool> includes)
    {
        var total = 0.0;
        var succeeded = 0.0;
        foreach (var rate in Requests)
        {
            if (includes(rate.Version))
            {
                total += rate.PerSecond;
                succeeded += ResponseClass.IsSuccess(rate.ResponseCode, rate.GrpcStatus) ? rate.PerSecond : 0;
            }
        }
        var buckets = Buckets.Where(b => includes(b.Version))
            .GroupBy(b => b.UpperBound)
            .Select(g => new CumulativeBucket(g.Key, g.Sum(b => b.PerSecond)))
            .ToList();
        // A handful of requests in a long window is still traffic; below this it is float dust from rate() extrapolation.
        if (total < 1e-9)
        {
            return TrafficFigures.Idle;
        }
        return new TrafficFigures(total, Math.Clamp(succeeded / total, 0, 1),
            HistogramQuantile.Compute(0.50, buckets), HistogramQuantile.Compute(0.90, buckets), HistogramQuantile.Compute(0.99, buckets));
    }

    public TrafficPoint PointOf(Func<string, bool> includes)
    {
        var figures = FiguresOf(includes);
        return new TrafficPoint(At, figures.RequestsPerSecond, figures.SuccessRate, figures.P99Ms);
    }
}

/// <summary>
/// Requests per second to one service with one response code, for the overview's mesh-wide table and the mesh map; the
/// caller as Istio labels it (<c>source_workload</c>, <c>source_workload_namespace</c>), empty when the source did not say.
/// </summary>
public readonly record struct ServiceRequestRate(string Namespace, string Name, string ResponseCode, string GrpcStatus, double PerSecond,
    string SourceWorkload = "", string SourceNamespace = "");
