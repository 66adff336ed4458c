namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// The labels Istio's proxies put on <c>istio_requests_total</c> and <c>istio_request_duration_milliseconds</c>
/// (istio.io/latest/docs/reference/config/metrics, "Labels"), the subset the sandbox fills. <c>reporter</c> is
/// <c>source</c> for the caller's proxy (one per request, as the caller saw it) and <c>destination</c> for the
/// receiving pod's proxy (one per attempt that reached it). A value Istio cannot know is <c>unknown</c>.
/// </summary>
public readonly record struct IstioLabels(
    string Reporter,
    string SourceWorkload,
    string SourceWorkloadNamespace,
    string DestinationService,
    string DestinationServiceName,
    string DestinationServiceNamespace,
    string DestinationWorkload,
    string DestinationWorkloadNamespace,
    string DestinationApp,
    string DestinationVersion,
    string ResponseCode,
    string GrpcResponseStatus,
    string ResponseFlags,
    string ConnectionSecurityPolicy)
{
    public const string Unknown = "unknown";

    public IEnumerable<(string Name, string Value)> Pairs()
    {
        yield return ("reporter", Reporter);
        yield return ("source_workload", SourceWorkload);
        yield return ("source_workload_namespace", SourceWorkloadNamespace);
        yield return ("destination_service", DestinationService);
        yield return ("destination_service_name", DestinationServiceName);
        yield return ("destination_service_namespace", DestinationServiceNamespace);
        yield return ("destination_workload", DestinationWorkload);
        yield return ("destination_workload_namespace", DestinationWorkloadNamespace);
        yield return ("destination_app", DestinationApp);
        yield return ("destination_version", DestinationVersion);
        yield return ("request_protocol", GrpcResponseStatus.Length > 0 ? "grpc" : "http");
        yield return ("response_code", ResponseCode);
        // Istio leaves it empty for plain HTTP; an empty label is no label to Prometheus, so it is left out.
        if (GrpcResponseStatus.Length > 0)
        {
            yield return ("grpc_response_status", GrpcResponseStatus);
        }
        yield return ("response_flags", ResponseFlags);
        yield return ("connection_security_policy", ConnectionSecurityPolicy);
    }
}
