using System.Globalization;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD017 (warning): a route timeout too short for the retries it carries. Istio passes <c>retries.attempts</c> to Envoy
/// as the number of retries, so a request makes up to attempts + 1 tries, each bounded by <c>perTryTimeout</c>; the
/// route <c>timeout</c> bounds all of them together (Envoy's route timeout includes retries; Istio's <c>HTTPRetry.attempts</c>
/// doc: the actual number of retries also depends on the timeout and perTryTimeout). The rule: reported when
/// timeout &lt; perTryTimeout × (attempts + 1), with how many full tries fit (timeout ÷ perTryTimeout, rounded down).
/// Not judged: no timeout or <c>0s</c> (disabled), no perTryTimeout (each try then gets the route timeout), attempts 0
/// or unset (no retries, or the mesh default), durations that do not parse (istiod refuses those). Back-off between tries
/// (25 ms and up) is not counted, so the rule errs on the side of silence.
/// </summary>
internal sealed class TimeoutBelowRetriesChecker : IChecker
{
    public string Code => FindingCodes.TimeoutBelowRetries;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            var retries = http.Raw.Obj("retries");
            if (retries.Int("attempts") is not ( > 0 and var attempts)
                || Durations.Parse(retries.Str("perTryTimeout") ?? "") is not { } perTry || perTry <= TimeSpan.Zero
                || Durations.Parse(http.Raw.Str("timeout") ?? "") is not { } timeout || timeout <= TimeSpan.Zero)
            {
                continue;
            }
            var tries = attempts + 1;
            if (timeout.Ticks >= perTry.Ticks * tries)
            {
                continue;
            }
            var fit = Math.Max(1, timeout.Ticks / perTry.Ticks);
            var message = timeout < perTry
                ? $"has a timeout of {http.Raw.Str("timeout")}, shorter than one try's perTryTimeout of {retries.Str("perTryTimeout")}: the timeout ends the request before the first try times out, so no retry after a slow try happens."
                : $"has a timeout of {http.Raw.Str("timeout")} for up to {tries.ToString(CultureInfo.InvariantCulture)} tries of {retries.Str("perTryTimeout")} each (attempts {attempts.ToString(CultureInfo.InvariantCulture)} + the first): only {fit.ToString(CultureInfo.InvariantCulture)} slow tries fit before the timeout ends the request.";
            yield return http.Finding(Code, FindingSeverity.Warning, message, http.Field + ".timeout");
        }
    }
}
