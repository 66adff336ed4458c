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
    /// <summary>How long an answer is reused for the same person and object: a page view asks once, not on every render.</summary>
    internal static readonly TimeSpan AnswerReuse = TimeSpan.FromSeconds(30);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Who, ObjectRef Service, string Targets), (DateTimeOffset AskedAt, string? Answer)> _answers = new();

    public async Task<string?> WhyCannotChangeAsync(MeshService service, CancellationToken cancellationToken)
    {
        var who = ImpersonationScope.Current?.User ?? "";
        // The objects asked about are part of the key: a VirtualService added to the service is asked about at once.
        var key = (who, service.Ref, string.Join(",", service.Routes.Select(r => r.VirtualService.Source.Ref).Concat(service.DestinationRules.Select(d => d.Source.Ref))));
        var now = TimeProvider.System.GetUtcNow();
        if (_answers.TryGetValue(key, out var known) && now - known.AskedAt < AnswerReuse)
        {
            return known.Answer;
        }
        var (answer, isKnown) = await AskAsync(service, cancellationToken);
        if (isKnown)
        {
            if (_answers.Count > 10_000)
            {
                _answers.Clear();
            }
            _answers[key] = (now, answer);
        }
        return answer;
    }

    /// <summary>Asks the cluster about each object; an answer that could not be had is not kept.</summary>
    private async Task<(string? Answer, bool Known)> AskAsync(MeshService service, CancellationToken cancellationToken)
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
                    return ($"The cluster does not allow {who} to change {target.Kind} {target.Namespace}/{target.Name}" +
                        (string.IsNullOrEmpty(answer.Body.Status?.Reason) ? "." : $": {answer.Body.Status.Reason}."), true);
                }
            }
            catch (Exception error) when (error is HttpOperationException or HttpRequestException)
            {
                // Without an answer the controls stay on; a refused write is still reported when it happens.
                LogReviewFailed(logger, target.ToString(), error.Message);
                return (null, false);
            }
        }
        return (null, true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access review for {Target} failed: {Reason}")]
    private static partial void LogReviewFailed(ILogger logger, string target, string reason);
}
