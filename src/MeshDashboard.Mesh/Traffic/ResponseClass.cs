namespace MeshDashboard.Mesh.Traffic;

/// <summary>
/// Which responses count as failures in a success rate, from the labels of <c>istio_requests_total</c>.
/// Istio's service dashboard counts success as <c>response_code!~"5.*"</c> (manifests/addons/dashboards/
/// istio-service-dashboard.json, "Success Rate (non-5xx responses)"), so a 4xx is a success. Kiali adds two cases we
/// follow (business/metrics_labels_builder.go <c>BuildForErrors</c>, models/health.go <c>aggregate</c>): response code 0
/// means no response at all, and a gRPC status 1..16 is an error even under an HTTP 200.
/// </summary>
public static class ResponseClass
{
    public static bool IsSuccess(string responseCode, string grpcStatus)
    {
        if (responseCode is "0" || responseCode.StartsWith('5'))
        {
            return false;
        }
        return !(int.TryParse(grpcStatus, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var grpc) && grpc is >= 1 and <= 16);
    }
}
