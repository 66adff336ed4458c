namespace MeshDashboard.Cluster.Metrics;

/// <summary>
/// Answers a custom PromQL query with one number, for a rollout's custom gates. Registered only when the metrics come
/// from Prometheus: the sandbox's simulator computes its figures itself and understands no PromQL.
/// </summary>
public interface IPromQlReader
{
    /// <summary>The query's value at <paramref name="at"/>; null when it answers no series.</summary>
    /// <exception cref="PrometheusException">Prometheus refused the query or it answered several series.</exception>
    Task<double?> ReadNumberAsync(string promql, DateTimeOffset at, CancellationToken cancellationToken);
}
