namespace MeshDashboard.Mesh.Traffic;

/// <summary>A histogram bucket's rate: observations per second at or below <see cref="UpperBound"/> (cumulative, as <c>le</c>).</summary>
public readonly record struct CumulativeBucket(double UpperBound, double Rate);

/// <summary>
/// The quantile of a cumulative histogram, computed the way PromQL's <c>histogram_quantile</c> does
/// (prometheus promql/quantile.go <c>bucketQuantile</c>): find the bucket holding rank q·total and interpolate
/// linearly inside it; the first bucket starts at 0; a rank in the +Inf bucket answers the highest finite bound.
/// The embedded reader uses it over the simulator's buckets, so both readers compute percentiles with the same rule.
/// </summary>
public static class HistogramQuantile
{
    public static double? Compute(double quantile, IEnumerable<CumulativeBucket> buckets)
    {
        var sorted = buckets.OrderBy(b => b.UpperBound).ToList();
        if (sorted.Count < 2 || !double.IsPositiveInfinity(sorted[^1].UpperBound))
        {
            return null;
        }
        // Counts are cumulative; rounding in a rate can make one dip below the one before, which Prometheus also irons out.
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Rate < sorted[i - 1].Rate)
            {
                sorted[i] = sorted[i] with { Rate = sorted[i - 1].Rate };
            }
        }
        var total = sorted[^1].Rate;
        if (total <= 0)
        {
            return null;
        }
        var rank = quantile * total;
        var index = sorted.FindIndex(b => b.Rate >= rank);
        if (index == sorted.Count - 1)
        {
            return sorted[^2].UpperBound;
        }
        if (index == 0 && sorted[0].UpperBound <= 0)
        {
            return sorted[0].UpperBound;
        }
        var lowerBound = index == 0 ? 0 : sorted[index - 1].UpperBound;
        var lowerCount = index == 0 ? 0 : sorted[index - 1].Rate;
        var inBucket = sorted[index].Rate - lowerCount;
        return inBucket <= 0 ? sorted[index].UpperBound : lowerBound + (sorted[index].UpperBound - lowerBound) * ((rank - lowerCount) / inBucket);
    }
}
