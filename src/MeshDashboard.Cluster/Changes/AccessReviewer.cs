using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Cluster.Changes;

/// <summary>
/// Asks the cluster (SelfSubjectAccessReview) whether the identity writes would use (the dashboard's own, or the
/// impersonated person's) may patch a service's VirtualServices and DestinationRules, so the UI can disable what
/// the cluster would refuse instead of letting a person fill in a form for nothing.
/// </summary>
public sealed partial class AccessReviewer(IKubernetes client, ILogger<AccessReviewer> logger)
{
    public async Task<string?> WhyCannotChangeAsync(MeshService service, CancellationToken cancellationToken)
    {
        var targets = service.Routes.Select(r => r.VirtualService.Source.Ref)
            .Concat(service.DestinationRules.Select(d => d.Source.Ref))
            .DefaultIfEmpty(new ObjectRef(ResourceKind.VirtualService, service.Namespace, ""))
            .Distinct();
        foreach (var target in targets)
        {
            var review = new V1SelfSubjectAccessReview
            {
                Spec = new V1SelfSubjectAccessReviewSpec
                {
                    ResourceAttributes = new V1ResourceAttributes
                    {
                        Group = ResourceKinds.IstioGroup,
                        Resource = target.Kind.Plural(),
                        Verb = target.Name.Length == 0 ? "create" : "patch",
                        NamespaceProperty = target.Namespace,
                        Name = target.Name.Length == 0 ? null : target.Name,
                    },
                },
            };
            try
            {
                var answer = await client.AuthorizationV1.CreateSelfSubjectAccessReviewWithHttpMessagesAsync(review,
                    customHeaders: ClusterWriter.ImpersonationHeaders(), cancellationToken: cancellationToken);
                if (answer.Body.Status?.Allowed != true)
                {
                    var who = ImpersonationScope.Current?.User ?? "the dashboard's service account";
                    return $"The cluster does not allow {who} to change {target.Kind} {target.Namespace}/{target.Name}" +
                        (string.IsNullOrEmpty(answer.Body.Status?.Reason) ? "." : $": {answer.Body.Status.Reason}.");
                }
            }
            catch (Exception error) when (error is HttpOperationException or HttpRequestException)
            {
                // Without an answer the controls stay on; a refused write is still reported when it happens.
                LogReviewFailed(logger, target.ToString(), error.Message);
                return null;
            }
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access review for {Target} failed: {Reason}")]
    private static partial void LogReviewFailed(ILogger logger, string target, string reason);
}
