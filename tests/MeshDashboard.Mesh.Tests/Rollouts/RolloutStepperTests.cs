using System.Collections.Immutable;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Rollouts;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Mesh.Tests.Rollouts;

/// <summary>The rollout's rules on plain objects: what happens next for each status, command, edit and gate result.</summary>
public sealed class RolloutStepperTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly ImmutableArray<string> Own = ["VirtualService bookinfo/reviews@10"];

    private static RolloutPlan Plan(RolloutFailureAction onFailure = RolloutFailureAction.Rollback, TimeSpan? secondPause = null) =>
        new(new ObjectRef(ResourceKind.Service, "bookinfo", "reviews"), "v2", "v1",
            [new RolloutStep(10, TimeSpan.FromMinutes(2)), new RolloutStep(50, secondPause), new RolloutStep(100, TimeSpan.Zero)],
            new RolloutGates(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), 0.99, 500, 50, []), onFailure) { StartedBy = "alice" };

    private static RolloutStatus AtStep(int step, DateTimeOffset started, int weight) =>
        new() { Step = step, CanaryWeight = weight, StepStartedAt = started, OwnObjects = Own };

    private static ImmutableArray<GateResult> Gates(double successRate, double rps = 10) =>
        GateEvaluator.Evaluate(Plan().Gates, new TrafficFigures(rps, successRate, 5, 10, 20), null, []);

    [Fact]
    public void NewRollout_WritesTheFirstStep()
    {
        var decision = RolloutStepper.Decide(Plan(), new RolloutStatus(), null, T0, Own, null);

        Assert.Equal(10, decision.Write!.CanaryWeight);
        Assert.StartsWith("via rollout: step 1 of 3, 10% to v2", decision.Write.Reason, StringComparison.Ordinal);
        Assert.Equal(0, decision.Status.Step);
    }

    [Fact]
    public void StepHeldLessThanItsPause_WritesNothing_EvenWithPassingGates()
    {
        var decision = RolloutStepper.Decide(Plan(), AtStep(0, T0, 10), null, T0.AddSeconds(90), Own, Gates(1));

        Assert.Null(decision.Write);
        Assert.Equal(0, decision.Status.Step);
    }

    [Fact]
    public void StepOverWithEveryGatePassing_MovesToTheNextStep()
    {
        var decision = RolloutStepper.Decide(Plan(), AtStep(0, T0, 10), null, T0.AddMinutes(2), Own, Gates(1));

        Assert.Equal(50, decision.Write!.CanaryWeight);
        Assert.Equal(1, decision.Status.Step);
    }

    [Fact]
    public void TooFewRequests_HoldTheStep_InsteadOfPromotingOnNoData()
    {
        var decision = RolloutStepper.Decide(Plan(), AtStep(0, T0, 10), null, T0.AddMinutes(3), Own, Gates(1, rps: 0.1));

        Assert.Null(decision.Write);
        Assert.Contains("not judged below 50 requests", decision.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedGate_RollsBackWithTheFiguresInTheReason()
    {
        var decision = RolloutStepper.Decide(Plan(), AtStep(0, T0, 10), null, T0.AddSeconds(30), Own, Gates(0.9));

        Assert.Equal(RolloutPhase.RolledBack, decision.Status.Phase);
        Assert.Equal(0, decision.Write!.CanaryWeight);
        Assert.Contains("success rate 90% (threshold ≥ 99%)", decision.Write.Reason, StringComparison.Ordinal);
        Assert.Contains("requests 600 requests", decision.Write.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedGate_WithOnFailurePause_HoldsTheWeights()
    {
        var decision = RolloutStepper.Decide(Plan(RolloutFailureAction.Pause), AtStep(0, T0, 10), null, T0.AddSeconds(30), Own, Gates(0.9));

        Assert.Equal(RolloutPhase.Paused, decision.Status.Phase);
        Assert.Null(decision.Write);
    }

    [Fact]
    public void ManualStep_WaitsForAPerson_AndResumeApprovesIt()
    {
        var atManual = AtStep(1, T0, 50);
        var waiting = RolloutStepper.Decide(Plan(), atManual, null, T0.AddHours(1), Own, null).Status;
        var resumed = RolloutStepper.Decide(Plan(), waiting, new RolloutCommand(1, RolloutCommandKind.Resume, "bob", T0), T0.AddHours(1), Own, null).Status;
        var next = RolloutStepper.Decide(Plan(), resumed, null, T0.AddHours(1).AddSeconds(30), Own, Gates(1));

        Assert.Equal(RolloutPhase.Paused, waiting.Phase);
        Assert.Contains("Waiting for a person", waiting.Message, StringComparison.Ordinal);
        Assert.Equal(RolloutPhase.Progressing, resumed.Phase);
        Assert.Equal(100, next.Write!.CanaryWeight);
    }

    [Fact]
    public void PauseThenResume_KeepsWhatWasLeftOfTheStep()
    {
        var paused = RolloutStepper.Decide(Plan(), AtStep(0, T0, 10), new RolloutCommand(1, RolloutCommandKind.Pause, "bob", T0), T0.AddSeconds(90), Own, null).Status;
        var resumed = RolloutStepper.Decide(Plan(), paused, new RolloutCommand(2, RolloutCommandKind.Resume, "bob", T0), T0.AddHours(1), Own, null).Status;

        Assert.Equal(TimeSpan.FromSeconds(30), paused.TimeLeft(Plan(), T0.AddHours(1)));
        Assert.Equal(TimeSpan.FromSeconds(30), resumed.TimeLeft(Plan(), T0.AddHours(1)));
    }

    [Fact]
    public void OutsideEdit_PausesAndNamesTheObject_BeforeAnyGateActs()
    {
        ImmutableArray<string> edited = ["VirtualService bookinfo/reviews@12"];
        var decision = RolloutStepper.Decide(Plan(), AtStep(0, T0, 10), null, T0.AddSeconds(30), edited, Gates(0.5));

        Assert.Equal(RolloutPhase.Paused, decision.Status.Phase);
        Assert.Null(decision.Write);
        Assert.Contains("VirtualService bookinfo/reviews was changed (resourceVersion 10 → 12)", decision.Status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RolloutCommandKind.Promote, 100, RolloutPhase.Succeeded)]
    [InlineData(RolloutCommandKind.Abort, 0, RolloutPhase.Aborted)]
    public void PromoteAndAbort_WriteTheEndWeights_AndFinish(RolloutCommandKind kind, int weight, RolloutPhase phase)
    {
        var decision = RolloutStepper.Decide(Plan(), AtStep(0, T0, 10), new RolloutCommand(1, kind, "bob", T0), T0, Own, null);

        Assert.Equal(weight, decision.Write!.CanaryWeight);
        Assert.Equal(phase, decision.Status.Phase);
        Assert.Contains("by bob", decision.Write.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void HandledCommand_IsNotHandledTwice()
    {
        var status = AtStep(0, T0, 10) with { HandledCommand = 1 };

        var decision = RolloutStepper.Decide(Plan(), status, new RolloutCommand(1, RolloutCommandKind.Abort, "bob", T0), T0.AddSeconds(10), Own, null);

        Assert.Null(decision.Write);
        Assert.Equal(RolloutPhase.Progressing, decision.Status.Phase);
    }
}
