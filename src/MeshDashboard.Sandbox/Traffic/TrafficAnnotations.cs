using System.Globalization;
using System.Text.Json;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// How people steer the simulated traffic with <c>kubectl annotate</c>. On a Service: its request rate and request mix.
/// On a pod: how it misbehaves, so a bad canary is staged with
/// <c>kubectl annotate pod -l app=reviews,version=v2 traffic.sandbox.meshdashboard.io/error-rate=0.5</c>.
/// Values that do not parse are ignored (the default applies), as an annotation is free text.
/// </summary>
public static class TrafficAnnotations
{
    public const string Prefix = "traffic.sandbox.meshdashboard.io/";

    /// <summary>Service: requests per second it receives (0 stops its traffic).</summary>
    public const string RequestsPerSecond = Prefix + "requests-per-second";

    /// <summary>Service: a JSON list of request shapes, e.g. <c>[{"share":1,"path":"/api","headers":{"end-user":"tester"}}]</c>.</summary>
    public const string RequestMix = Prefix + "request-mix";

    /// <summary>
    /// Service: the workload its simulated requests come from, <c>workload</c> (in the service's namespace) or
    /// <c>namespace/workload</c>, as Istio's <c>source_workload</c> names a Deployment; the mesh map draws it as the caller.
    /// Default: the sandbox's own load generator in the service's namespace.
    /// </summary>
    public const string Caller = Prefix + "caller";

    /// <summary>Pod: the fraction (0..1) of requests it answers with an error.</summary>
    public const string ErrorRate = Prefix + "error-rate";

    /// <summary>Pod: the status of those errors (default 500).</summary>
    public const string ErrorCode = Prefix + "error-code";

    /// <summary>Pod: milliseconds added to every response.</summary>
    public const string LatencyMs = Prefix + "latency-ms";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static double? Number(KubeObject obj, string annotation) => Number(obj.Annotations, annotation);

    public static double? Number(IReadOnlyDictionary<string, string> annotations, string annotation) =>
        annotations.TryGetValue(annotation, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0
            ? value
            : null;

    /// <summary>The calling workload's namespace and name; null when not annotated or not a workload name.</summary>
    public static (string Namespace, string Workload)? CallerOf(KubeObject service)
    {
        if (!service.Annotations.TryGetValue(Caller, out var text))
        {
            return null;
        }
        var parts = text.Trim().Split('/');
        return parts switch
        {
            [var workload] when workload.Length > 0 => (service.Namespace, workload),
            [var ns, var workload] when ns.Length > 0 && workload.Length > 0 => (ns, workload),
            _ => null,
        };
    }

    public static IReadOnlyList<RequestShape>? Mix(KubeObject service)
    {
        if (!service.Annotations.TryGetValue(RequestMix, out var text))
        {
            return null;
        }
        try
        {
            var shapes = JsonSerializer.Deserialize<List<RequestShape>>(text, Json);
            return shapes is { Count: > 0 } && shapes.All(s => s.Share >= 0) && shapes.Sum(s => s.Share) > 0 ? shapes : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
