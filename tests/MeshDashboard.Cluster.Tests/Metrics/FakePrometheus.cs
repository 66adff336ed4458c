using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace MeshDashboard.Cluster.Tests.Metrics;

/// <summary>
/// Prometheus's HTTP API as a handler: records every query (endpoint, PromQL, parameters, Authorization) and answers
/// with what the test set for a query that contains a marker. Unknown queries get an empty success.
/// </summary>
internal sealed class FakePrometheus : HttpMessageHandler
{
    public sealed record Query(string Endpoint, string PromQl, IReadOnlyDictionary<string, string> Parameters, string? Authorization);

    private readonly List<(string Marker, Func<Task<HttpResponseMessage>> Answer)> _answers = [];

    public ConcurrentQueue<Query> Queries { get; } = new();

    /// <summary>Answers a query whose PromQL contains <paramref name="marker"/> with a success envelope around <paramref name="data"/>.</summary>
    public void Answer(string marker, string data) =>
        _answers.Add((marker, () => Task.FromResult(Json(HttpStatusCode.OK, $$"""{"status":"success","data":{{data}}}"""))));

    public void Answer(string marker, Func<Task<HttpResponseMessage>> answer) => _answers.Add((marker, answer));

    public static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var form = await request.Content!.ReadAsStringAsync(cancellationToken);
        var parameters = form.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        var promql = parameters["query"];
        Queries.Enqueue(new Query(request.RequestUri!.AbsolutePath, promql, parameters, request.Headers.Authorization?.ToString()));
        foreach (var (marker, answer) in _answers)
        {
            if (promql.Contains(marker, StringComparison.Ordinal))
            {
                return await answer().WaitAsync(cancellationToken);
            }
        }
        var type = request.RequestUri!.AbsolutePath.EndsWith("query_range", StringComparison.Ordinal) ? "matrix" : "vector";
        return Json(HttpStatusCode.OK, $$$"""{"status":"success","data":{"resultType":"{{{type}}}","result":[]}}""");
    }
}
