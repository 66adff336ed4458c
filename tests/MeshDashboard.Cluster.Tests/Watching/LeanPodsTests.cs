using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Tests.Watching;

/// <summary>A pod from a watch event (typed) is kept exactly as one read from a list page, so either path fills the cache alike.</summary>
public sealed class LeanPodsTests
{
    // Shaped like a pod of Istio's bookinfo sample after sidecar injection, being deleted, with an owner and timestamps.
    private const string InjectedPod = """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"reviews-v2-5b667bcbf8-x2l9q","generateName":"reviews-v2-5b667bcbf8-","namespace":"bookinfo","uid":"6f1c0e7a-0000-4000-8000-000000000001",
          "resourceVersion":"4242","creationTimestamp":"2026-11-01T08:00:00Z","deletionTimestamp":"2026-11-02T09:30:00Z",
          "labels":{"app":"reviews","version":"v2","pod-template-hash":"5b667bcbf8","security.istio.io/tlsMode":"istio"},
          "annotations":{"sidecar.istio.io/status":"{\"containers\":[\"istio-proxy\"]}"},
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"reviews-v2-5b667bcbf8","uid":"7e2d1f8b-0000-4000-8000-000000000002","controller":true,"blockOwnerDeletion":true}],
          "managedFields":[{"manager":"kubelet","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:status":{}}}]},
         "spec":{"containers":[{"name":"reviews","image":"docker.io/istio/examples-bookinfo-reviews-v2:1.20.2"},{"name":"istio-proxy","image":"docker.io/istio/proxyv2:1.24.0","args":["proxy","sidecar"]}]},
         "status":{"phase":"Running","podIP":"10.244.0.17",
          "conditions":[{"type":"Initialized","status":"True","lastTransitionTime":"2026-11-01T08:00:02Z"},{"type":"Ready","status":"False","reason":"ContainersNotReady","lastTransitionTime":"2026-11-01T08:00:05Z"}],
          "containerStatuses":[{"name":"reviews","ready":false,"restartCount":3,"image":"x","imageID":"y"}]}}
        """;

    [Theory]
    [InlineData(InjectedPod)]
    [InlineData("""{"metadata":{"name":"bare","namespace":"default"}}""")]
    public void From_TheTypedPod_EqualsTheSummaryOfItsJson(string json)
    {
        var typed = KubernetesJson.Deserialize<V1Pod>(json);

        var kept = LeanPods.From(typed);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(PodSummary.Read(document.RootElement), kept.Pod);
        Assert.True(JsonNode.DeepEquals(PodProjection.Lean((JsonObject)JsonNode.Parse(json)!), kept.Raw), kept.Raw.ToJsonString());
    }

    [Fact]
    public void From_KeepsIdentityOwnersAndReadinessButNotTheContainers()
    {
        var kept = LeanPods.From(KubernetesJson.Deserialize<V1Pod>(InjectedPod));
        var lean = kept.Raw;

        Assert.Equal(("apps/v1", "ReplicaSet", "reviews-v2-5b667bcbf8"), Assert.Single(kept.OwnerReferences));
        Assert.Equal("10.244.0.17", kept.Pod!.PodIp);
        Assert.False(kept.Pod.IsReady);
        Assert.Equal("5b667bcbf8", kept.Labels["pod-template-hash"]);
        Assert.Equal("ReplicaSet", (string?)lean["metadata"]!["ownerReferences"]![0]!["kind"]);
        Assert.Equal("2026-11-02T09:30:00Z", (string?)lean["metadata"]!["deletionTimestamp"]);
        Assert.Equal("False", (string?)Assert.Single(lean["status"]!["conditions"]!.AsArray())!["status"]);
        Assert.Null(lean["spec"]);
        Assert.Null(lean["metadata"]!["managedFields"]);
    }
}
