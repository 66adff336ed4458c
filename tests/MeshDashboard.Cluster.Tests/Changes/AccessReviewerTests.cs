using System.Net;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshDashboard.Cluster.Tests.Changes;

/// <summary>
/// Access is asked once per person and namespace (SelfSubjectRulesReview) and judged here; only where the rules cannot
/// decide (incomplete) is each object asked about (SelfSubjectAccessReview). Requests are counted in the sandbox's log.
/// </summary>
public sealed class AccessReviewerTests() : PipelineTestBase(new TestSandbox(seedDemoMesh: true, readOnlyUsers: "rita"))
{
    private const string RulesReviews = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
    private const string AccessReviews = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    private MeshService MyApp => Harness.Dashboard.Current.FindService("myapp", "myapp")!;

    private int Sent(string path, int since) => Sandbox.Cluster.Requests.Snapshot().Skip(since).Count(r => r.Path.StartsWith(path, StringComparison.Ordinal));

    [Fact]
    public async Task AServiceWithSeveralObjects_IsReviewedWithOneRulesReview_AndNoAccessReview()
    {
        var reviewer = new AccessReviewer(Harness.Client, NullLogger<AccessReviewer>.Instance);
        var before = Sandbox.Cluster.Requests.Snapshot().Count;

        var answer = await reviewer.WhyCannotChangeAsync(MyApp, Cancel);
        var again = await reviewer.WhyCannotChangeAsync(MyApp, Cancel);

        Assert.True(MyApp.Routes.Length + MyApp.DestinationRules.Length > 1);
        Assert.Null(answer);
        Assert.Null(again);
        Assert.Equal(1, Sent(RulesReviews, before));
        Assert.Equal(0, Sent(AccessReviews, before));
    }

    [Fact]
    public async Task EachPerson_IsReviewedForThemselves_WithTheirImpersonationHeaders()
    {
        var reviewer = new AccessReviewer(Harness.Client, NullLogger<AccessReviewer>.Instance);
        var before = Sandbox.Cluster.Requests.Snapshot().Count;
        string? asRita;
        string? asSam;
        using (ImpersonationScope.Use(new ClusterIdentity("rita", [])))
        {
            asRita = await reviewer.WhyCannotChangeAsync(MyApp, Cancel);
        }
        using (ImpersonationScope.Use(new ClusterIdentity("sam", ["release-managers"])))
        {
            asSam = await reviewer.WhyCannotChangeAsync(MyApp, Cancel);
        }

        Assert.Contains("does not allow rita", asRita, StringComparison.Ordinal);
        Assert.Contains("in namespace myapp", asRita, StringComparison.Ordinal);
        Assert.Null(asSam);
        var reviews = Sandbox.Cluster.Requests.Snapshot().Skip(before).Where(r => r.Path.StartsWith(RulesReviews, StringComparison.Ordinal)).ToList();
        Assert.Equal(["rita", "sam"], reviews.Select(r => r.ImpersonateUser));
        Assert.Equal(["release-managers"], reviews[1].ImpersonateGroups);
    }

    [Fact]
    public async Task RulesMarkedIncomplete_ThatDoNotAllow_FallBackToOneAccessReviewPerObject()
    {
        using var client = Sandbox.CreateClient(new IncompleteRules());
        var reviewer = new AccessReviewer(client, NullLogger<AccessReviewer>.Instance);
        var objects = MyApp.Routes.Select(r => r.VirtualService.Source.Ref).Concat(MyApp.DestinationRules.Select(d => d.Source.Ref)).Distinct().Count();
        var before = Sandbox.Cluster.Requests.Snapshot().Count;

        var answer = await reviewer.WhyCannotChangeAsync(MyApp, Cancel);
        var again = await reviewer.WhyCannotChangeAsync(MyApp, Cancel);

        Assert.Null(answer);
        Assert.Null(again);
        Assert.Equal(objects, Sent(AccessReviews, before));
    }

    [Fact]
    public async Task RulesMarkedIncomplete_ThatAllow_AreEnough()
    {
        using var client = Sandbox.CreateClient(new IncompleteRules(grantPatch: true));
        var reviewer = new AccessReviewer(client, NullLogger<AccessReviewer>.Instance);
        var before = Sandbox.Cluster.Requests.Snapshot().Count;

        var answer = await reviewer.WhyCannotChangeAsync(MyApp, Cancel);

        Assert.Null(answer);
        Assert.Equal(0, Sent(AccessReviews, before));
    }

    /// <summary>
    /// Answers rules reviews as a cluster with a webhook authorizer does: incomplete, with at most a rule granting patch on
    /// Istio's kinds; everything else goes to the sandbox.
    /// </summary>
    private sealed class IncompleteRules(bool grantPatch = false) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri?.AbsolutePath != RulesReviews)
            {
                return base.SendAsync(request, cancellationToken);
            }
            var rules = grantPatch ? """[{"verbs":["patch"],"apiGroups":["networking.istio.io"],"resources":["virtualservices","destinationrules"]}]""" : "[]";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Created)
            {
                RequestMessage = request,
                Content = new StringContent($$$"""
                    {"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1","metadata":{},"spec":{},
                     "status":{"resourceRules":{{{rules}}},"nonResourceRules":[],"incomplete":true,"evaluationError":"webhook authorizer does not support user rule resolution"}}
                    """, System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }
}
