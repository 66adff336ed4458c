using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD009: a fault istiod refuses or one that does nothing. Follows istio/istio pkg/config/validation/validation.go:
/// <c>validatePercentage</c> (0, or 0.0001..100), <c>validateHTTPStatus</c> (an abort status within 200..600: its
/// message says 200-599, but the check lets 600 through, and so do we, as <see cref="SetFault.Check"/> does). A
/// percentage left out is no error there, but then
/// no request is affected: that is reported as info. An abort without a status is a warning (istiod warns too), a delay
/// without a fixed delay is info (it delays nothing). The deprecated integer <c>delay.percent</c> counts as a percentage
/// (MD010 reports the deprecation) and must be 0..100.
/// </summary>
internal sealed class FaultInvalidChecker : IChecker
{
    public string Code => FindingCodes.FaultInvalid;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            if (http.Raw["fault"] is not JsonObject fault)
            {
                continue;
            }
            var field = http.Field + ".fault";
            foreach (var part in new[] { "abort", "delay" })
            {
                if (fault[part] is not JsonObject obj)
                {
                    continue;
                }
                var percentage = obj.Obj("percentage").Number("value");
                var legacy = part == "delay" ? obj.Number("percent") : null;
                if (percentage is { } value && !SetFault.PercentInRange(value))
                {
                    yield return http.Finding(Code, FindingSeverity.Error,
                        $"has a fault {part} percentage of {value.ToString(CultureInfo.InvariantCulture)}; it must be 0 or between 0.0001 and 100.",
                        $"{field}.{part}.percentage.value");
                }
                else if (percentage is null && legacy is null)
                {
                    yield return http.Finding(Code, FindingSeverity.Info, $"has a fault {part} without a percentage; it affects no request.", $"{field}.{part}");
                }
                if (legacy is { } percent && percent is < 0 or > 100)
                {
                    yield return http.Finding(Code, FindingSeverity.Error,
                        $"has a fault delay percent of {percent.ToString(CultureInfo.InvariantCulture)}; it must be 0..100.", $"{field}.delay.percent");
                }
            }
            if (fault["abort"] is JsonObject abort && abort["httpStatus"] is null && abort["grpcStatus"] is null && abort["http2Error"] is null)
            {
                // istiod accepts it with the warning "abort configured, but error type not set" (validateHTTPFaultInjectionAbort).
                yield return http.Finding(Code, FindingSeverity.Warning,
                    "has a fault abort without a status (httpStatus or grpcStatus); istiod warns that no error type is set.", $"{field}.abort");
            }
            if (fault["delay"] is JsonObject delay && delay["fixedDelay"] is null && delay["exponentialDelay"] is null)
            {
                yield return http.Finding(Code, FindingSeverity.Info, "has a fault delay without a fixedDelay; it delays no request.", $"{field}.delay");
            }
            if (fault.Obj("abort").Int("httpStatus") is { } status && status is < SetFault.MinHttpStatus or > SetFault.MaxHttpStatus)
            {
                yield return http.Finding(Code, FindingSeverity.Error,
                    $"aborts with HTTP status {status}; it must be {SetFault.MinHttpStatus}..{SetFault.MaxHttpStatus}.", $"{field}.abort.httpStatus");
            }
        }
    }
}
