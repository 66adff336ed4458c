using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Cluster.Changes;

/// <summary>
/// Tells whether the identity writes would use (the dashboard's own, or the impersonated person's) may patch a service's
/// VirtualServices and DestinationRules, so the UI can disable what the cluster would refuse instead of letting a person
/// fill in a form for nothing. It asks once per person and namespace (a SelfSubjectRulesReview, judged here by
/// <see cref="RulesReview"/>) rather than once per object; only where those rules cannot decide (the cluster says they are
/// incomplete, or gives none) is the object asked about itself (a SelfSubjectAccessReview). Both are asked with the
/// same impersonation headers as the writes, and their answers reused for <see cref="AnswerReuse"/>.
/// </summary>
public sealed partial class AccessReviewer(IKubernetes client, ILogger<AccessReviewer> logger)
{
    /// <summary>How long an answer is reused for the same person (and namespace, or object): a page view asks once, not on every render.</summary>
    internal static readonly TimeSpan AnswerReuse = TimeSpan.FromSeconds(30);

    // Beyond this many people × namespaces (or objects) remembered, the answers are forgotten rather than kept growing.
    private const int MaxRemembered = 10_000;

    // Shared by concurrent asks of the same person and namespace; null: the cluster gave no rules (the objects decide).
    private readonly ConcurrentDictionary<(string Who, string Namespace), (DateTimeOffset AskedAt, Task<RulesReview?> Rules)> _rules = new();

    // Only for objects the rules could not decide; null refusal: allowed. Unanswered reviews are not kept.
    private readonly ConcurrentDictionary<(string Who, ObjectRef Target), (DateTimeOffset AskedAt, string? Refusal)> _objects = new();

    public async Task<string?> WhyCannotChangeAsync(MeshService service, CancellationToken cancellationToken)
    {
        var identity = ImpersonationScope.Current;
        var who = identity is null ? "" : identity.User + "\n" + string.Join("\n", identity.Groups.Order(StringComparer.Ordinal));
        var person = identity?.User ?? "the dashboard's service account";
        var targets = service.Routes.Select(r => r.VirtualService.Source.Ref)
            .Concat(service.DestinationRules.Select(d => d.Source.Ref))
            // A service without either: could the first VirtualService be created?
            .DefaultIfEmpty(new ObjectRef(ResourceKind.VirtualService, service.Namespace, ""))
            .Distinct();
        foreach (var target in targets)
        {
            var verb = target.Name.Length == 0 ? "create" : "patch";
            var resource = target.Kind.Plural();
            var rules = await RulesForAsync(who, target.Namespace, cancellationToken);
            if (rules is not null && rules.Allows(verb, ResourceKinds.IstioGroup, resource, target.Name))
            {
                continue;
            }
            if (rules is { IsComplete: true })
            {
                return $"The cluster does not allow {person} to change {target.Kind} {target.Namespace}/{target.Name}: no rule of theirs lets them {verb} " +
                    $"{resource}.{ResourceKinds.IstioGroup} in namespace {target.Namespace}.";
            }
            var (refusal, known) = await ReviewObjectAsync(who, person, target, verb, cancellationToken);
            if (!known)
            {
                // Without an answer the controls stay on; a refused write is still reported when it happens.
                return null;
            }
            if (refusal is not null)
            {
                return refusal;
            }
        }
        return null;
    }

    private Task<RulesReview?> RulesForAsync(string who, string @namespace, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        if (_rules.Count > MaxRemembered)
        {
            _rules.Clear();
        }
        // One request however many renders ask at once; it is not cancelled with one caller, since others share it.
        var entry = _rules.AddOrUpdate((who, @namespace),
            _ => (now, AskRulesAsync(@namespace)),
            (_, known) => now - known.AskedAt < AnswerReuse ? known : (now, AskRulesAsync(@namespace)));
        return entry.Rules.WaitAsync(cancellationToken);
    }

    private async Task<RulesReview?> AskRulesAsync(string @namespace)
    {
        var review = new V1SelfSubjectRulesReview { Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = @namespace } };
        try
        {
            var answer = await client.AuthorizationV1.CreateSelfSubjectRulesReviewWithHttpMessagesAsync(review,
                customHeaders: ClusterWriter.ImpersonationHeaders(), cancellationToken: CancellationToken.None);
            return RulesReview.From(answer.Body.Status);
        }
        catch (Exception error) when (error is HttpOperationException or HttpRequestException or IOException)
        {
            // A cluster that does not answer rules reviews: each object is asked about instead.
            LogRulesFailed(logger, @namespace, error.Message);
            return null;
        }
    }

    /// <summary>Asks the cluster about one object; an answer that could not be had is not kept.</summary>
    private async Task<(string? Refusal, bool Known)> ReviewObjectAsync(string who, string person, ObjectRef target, string verb, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        if (_objects.TryGetValue((who, target), out var known) && now - known.AskedAt < AnswerReuse)
        {
            return (known.Refusal, true);
        }
        var review = new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes
                {
                    Group = ResourceKinds.IstioGroup,
                    Resource = target.Kind.Plural(),
                    Verb = verb,
                    NamespaceProperty = target.Namespace,
                    Name = target.Name.Length == 0 ? null : target.Name,
                },
            },
        };
        try
        {
            var answer = await client.AuthorizationV1.CreateSelfSubjectAccessReviewWithHttpMessagesAsync(review,
                customHeaders: ClusterWriter.ImpersonationHeaders(), cancellationToken: cancellationToken);
            var refusal = answer.Body.Status?.Allowed == true
                ? null
                : $"The cluster does not allow {person} to change {target.Kind} {target.Namespace}/{target.Name}" +
                    (string.IsNullOrEmpty(answer.Body.Status?.Reason) ? "." : $": {answer.Body.Status.Reason}.");
            if (_objects.Count > MaxRemembered)
            {
                _objects.Clear();
            }
            _objects[(who, target)] = (now, refusal);
            return (refusal, true);
        }
        catch (Exception error) when (error is HttpOperationException or HttpRequestException or IOException)
        {
            LogReviewFailed(logger, target.ToString(), error.Message);
            return (null, false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access review for {Target} failed: {Reason}")]
    private static partial void LogReviewFailed(ILogger logger, string target, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rules review for namespace {Namespace} failed; asking about each object instead: {Reason}")]
    private static partial void LogRulesFailed(ILogger logger, string @namespace, string reason);
}
