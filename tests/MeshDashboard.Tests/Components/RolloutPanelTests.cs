using Bunit;
using MeshDashboard.Cluster.Rollouts;
using MeshDashboard.Components.Controls;
using MeshDashboard.Components.Pages;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Rollouts;
using static MeshDashboard.Tests.Components.TestIds;

namespace MeshDashboard.Tests.Components;

/// <summary>The rollout's stepper on the service page, its controls, and the mark on the overview's row.</summary>
public sealed class RolloutPanelTests : DashboardTestContext
{
    private static readonly ObjectRef Reviews = new(ResourceKind.Service, "bookinfo", "reviews");

    private static StoredRollout Running(RolloutPhase phase = RolloutPhase.Progressing) => new("meshdashboard-rollout-bookinfo.reviews", "7",
        new RolloutPlan(Reviews, "v2", "v1", [new RolloutStep(10, TimeSpan.FromMinutes(2)), new RolloutStep(50, null), new RolloutStep(100, TimeSpan.Zero)],
            new RolloutGates(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), 0.99, 500, 50, []), RolloutFailureAction.Rollback) { StartedBy = "bob" },
        new RolloutStatus
        {
            Phase = phase,
            Step = 0,
            CanaryWeight = 10,
            StepStartedAt = DateTimeOffset.UtcNow,
            Message = "Step 1 of 3: 10% to v2, held for 2m.",
            Gates = [new GateResult("success rate", 0.97, "≥ 99%", "97%", GateVerdict.Fail), new GateResult("p99", 120, "≤ 500 ms", "120 ms", GateVerdict.Pass)],
        },
        null);

    private IRenderedComponent<RolloutPanel> Panel() =>
        Render<RolloutPanel>(p => p.Add(x => x.Service, Client.Current.FindService("bookinfo", "reviews")!));

    [Fact]
    public void Stepper_ShowsTheCurrentStep_TimeLeft_AndEachGatesFigureAgainstItsThreshold()
    {
        Rollouts.Publish(Running());

        var cut = Panel();

        Assert.Equal("Progressing", cut.Find(Of("rollout-phase")).TextContent.Trim());
        Assert.Contains("10%", cut.Find("li.md-step-current").TextContent, StringComparison.Ordinal);
        Assert.Matches(@"(1m\d+s|2m0s|2m) left", cut.Find(Of("rollout-time-left")).TextContent);
        var gates = cut.Find(Of("rollout-gates")).TextContent;
        Assert.Contains("97%", gates, StringComparison.Ordinal);
        Assert.Contains("≥ 99%", gates, StringComparison.Ordinal);
        Assert.Contains("Fail", gates, StringComparison.Ordinal);
        Assert.True(cut.Find(Of("rollout-resume")).HasAttribute("disabled"));
    }

    [Fact]
    public void Abort_IsSentInTheSignedInPersonsName()
    {
        Rollouts.Publish(Running());
        var cut = Panel();

        cut.Find(Of("rollout-abort")).Click();

        // The click may queue behind the panel's own board update on the renderer: wait for the outcome.
        cut.WaitForAssertion(() => Assert.Equal([(Reviews, RolloutCommandKind.Abort, "alice")], Rollouts.Commands));
    }

    [Fact]
    public void Stepper_FollowsTheBoard_WhenTheRolloutPauses()
    {
        Rollouts.Publish(Running());
        var cut = Panel();

        Rollouts.Publish(Running(RolloutPhase.Paused));

        cut.WaitForAssertion(() => Assert.Equal("Paused", cut.Find(Of("rollout-phase")).TextContent.Trim()));
        Assert.False(cut.Find(Of("rollout-resume")).HasAttribute("disabled"));
    }

    [Fact]
    public void WithoutARollout_TheStartFormIsShown_AndStartingNeedsAPreviewFirst()
    {
        var cut = Panel();

        Assert.NotEmpty(cut.FindAll(Of("rollout-form")));
        Assert.True(cut.Find(Of("rollout-start")).HasAttribute("disabled"));
        cut.Find(Of("rollout-preview-button")).Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(Of("rollout-preview"))));
        cut.Find(Of("rollout-start")).Click();

        cut.WaitForAssertion(() => Assert.Single(Rollouts.Started));
        var plan = Assert.Single(Rollouts.Started);
        Assert.Equal(("v2", "v1", "alice"), (plan.Canary, plan.Stable, plan.StartedBy));
        Assert.Equal([10, 50, 100], plan.Steps.Select(s => s.Weight));
    }

    [Fact]
    public void OverviewRow_IsMarkedWhileARolloutIsInProgress_AndNotAfter()
    {
        Rollouts.Publish(Running());
        var cut = Render<Overview>();

        Assert.Contains("rollout 10%", cut.Find(Of("rollout-mark-bookinfo-reviews")).TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(Of("rollout-mark-myapp-myapp")));

        Rollouts.Publish(Running() with { Status = Running().Status with { Phase = RolloutPhase.Succeeded } });
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Of("rollout-mark-bookinfo-reviews"))));
    }
}
