using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD015 (warning): a rule with a fault and with retries or a timeout, set up as if one would act on the other. They do
/// not. Istio's API (istio/api virtual_service.proto, <c>HTTPRoute.fault</c>) says timeouts and retries are not enabled
/// when a fault is; what happens is this: istiod still writes the retry policy and timeout into the Envoy route
/// (istio/istio pilot/pkg/networking/core/route/route.go, <c>applyHTTPRouteDestination</c>, <c>setTimeout</c>), and the
/// fault into the per-route config of Envoy's fault filter, which runs before the router. An injected abort is answered
/// by the fault filter itself, so the router never sees it: it is never retried, and the client gets it as configured.
/// An injected delay holds the request before the router starts the route timeout, so the timeout does not cut the delay
/// (the client waits delay + up to the timeout). Requests the fault does not pick are retried and timed out as usual.
/// Reported: an abort that affects requests (percentage above 0) with <c>retries.attempts</c> above 0, and a delay that
/// affects requests (<c>percentage.value</c> or the deprecated <c>percent</c> above 0) with a <c>timeout</c>.
/// </summary>
internal sealed class FaultBypassesRetriesChecker : IChecker
{
    public string Code => FindingCodes.FaultBypassesRetries;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            if (http.Rule.Fault is not { } fault)
            {
                continue;
            }
            if (fault.HasAbort && fault.AbortPercent > 0 && http.Raw.Obj("retries").Int("attempts") is > 0)
            {
                yield return http.Finding(Code, FindingSeverity.Warning,
                    "injects aborts and has retries: the fault answers before the retries apply, so injected errors are never retried and reach the client as they are.",
                    http.Field + ".retries");
            }
            if (fault.HasDelay && fault.DelayPercent > 0 && http.Raw.Str("timeout") is { } timeout)
            {
                yield return http.Finding(Code, FindingSeverity.Warning,
                    $"injects a delay and has a timeout of {timeout}: the delay comes before the timeout starts, so the timeout never cuts it (a request may take the delay plus {timeout}).",
                    http.Field + ".timeout");
            }
        }
    }
}
