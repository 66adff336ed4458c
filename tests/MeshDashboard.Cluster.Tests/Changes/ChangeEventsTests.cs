using System.Net;
using k8s;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshDashboard.Cluster.Tests.Changes;

/// <summary>Each object a change writes gets an Event, as a controller's would; an event that fails never fails the change.</summary>
public sealed class ChangeEventsTests : PipelineTestBase
{
    private static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");

    [Fact]
    public async Task AppliedChange_LeavesAnEventOnTheChangedObjectSayingWhoAndWhy()
    {
        var outcome = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }),
            new ChangeRequest("alice", "release 1.5"), Cancel);
        await Harness.Events.WhenRecordedAsync();

        var events = (await Harness.Client.CoreV1.ListNamespacedEventAsync("myapp", cancellationToken: Cancel)).Items;
        var recorded = Assert.Single(events, e => e.InvolvedObject.Kind == "VirtualService" && e.InvolvedObject.Name == "myapp");
        var live = await Harness.Writer.GetAsync(new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp"), Cancel);
        Assert.Equal(ChangeStatus.Applied, outcome.Status);
        Assert.Equal("RoutingChanged", recorded.Reason);
        Assert.Equal("Normal", recorded.Type);
        Assert.Equal("meshdashboard", recorded.ReportingComponent);
        Assert.Equal("meshdashboard", recorded.Source.Component);
        Assert.Equal((string?)live!["metadata"]!["uid"], recorded.InvolvedObject.Uid);
        Assert.Contains("alice", recorded.Message, StringComparison.Ordinal);
        Assert.Contains("release 1.5", recorded.Message, StringComparison.Ordinal);
        Assert.Contains(outcome.Revision!, recorded.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventThatCannotBeWritten_IsLoggedAndTheChangeStillStands()
    {
        using var refusing = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Harness.Sandbox.KubeconfigPath), new RefuseEvents());
        var events = new ChangeEvents(refusing, TimeProvider.System);
        var pipeline = new ChangePipeline(Harness.Cache, Harness.Writer, Harness.History, Harness.Journal, Harness.Running, TimeProvider.System,
            NullLogger<ChangePipeline>.Instance, events);

        var outcome = await pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 30, ["v2"] = 70 }), new ChangeRequest("bob"), Cancel);
        await events.WhenRecordedAsync();

        Assert.Equal(ChangeStatus.Applied, outcome.Status);
        Assert.Empty((await Harness.Client.CoreV1.ListNamespacedEventAsync("myapp", cancellationToken: Cancel)).Items);
    }

    [Theory]
    [InlineData(Fault.ServerError)]
    [InlineData(Fault.Outage)]
    [InlineData(Fault.AnswerCutShort)]
    [InlineData(Fault.AnswerLostThenOutage)]
    public async Task EventWriteThatFails_NeverFailsTheChange(Fault fault)
    {
        // The events client sends nothing but the change's one event: its first write is the one that fails.
        var faults = new FaultInjectingHandler(failAt: 1, fault);
        using var failing = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Harness.Sandbox.KubeconfigPath), faults);
        var events = new ChangeEvents(failing, TimeProvider.System);
        var pipeline = new ChangePipeline(Harness.Cache, Harness.Writer, Harness.History, Harness.Journal, Harness.Running, TimeProvider.System,
            NullLogger<ChangePipeline>.Instance, events);

        var outcome = await pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 20, ["v2"] = 80 }), new ChangeRequest("carol"), Cancel);
        await events.WhenRecordedAsync();

        Assert.True(faults.Reached.IsCompleted);
        Assert.Equal(ChangeStatus.Applied, outcome.Status);
        Assert.Contains(await Harness.History.ReadAsync(MyApp, Cancel), e => e.Revision == outcome.Revision);
    }

    /// <summary>Answers every event write with 403, as a cluster whose role lacks events create would.</summary>
    private sealed class RefuseEvents : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal)
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden)
                {
                    Content = new StringContent("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403}"""),
                })
                : base.SendAsync(request, cancellationToken);
    }
}
