using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Tests.Catalog;

public class PodProjectionTests
{
    // A pod shaped like one a kubelet reports for an Istio sidecar-injected workload (fields abridged).
    private const string SidecarPod = """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "reviews-v2-7d9f8-abcde", "namespace": "bookinfo", "uid": "u-1", "resourceVersion": "42",
           "labels": {"app": "reviews", "version": "v2", "security.istio.io/tlsMode": "istio"},
           "annotations": {"sidecar.istio.io/status": "{\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\"]}"},
           "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "reviews-v2-7d9f8", "uid": "rs-1"}],
           "managedFields": [{"manager": "kube-controller-manager", "operation": "Update"}]},
         "spec": {"containers": [{"name": "reviews", "image": "docker.io/istio/examples-bookinfo-reviews-v2:1.20"}, {"name": "istio-proxy", "image": "proxyv2"}],
           "volumes": [{"name": "istio-envoy", "emptyDir": {"medium": "Memory"}}], "nodeName": "node-1"},
         "status": {"phase": "Running", "podIP": "10.0.0.7",
           "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-12-01T10:00:00Z"}, {"type": "ContainersReady", "status": "True"}],
           "containerStatuses": [{"name": "reviews", "ready": true, "restartCount": 0}]}}
        """;

    [Fact]
    public void Lean_KeepsWhatTheDashboardReads_AndDropsTheRest()
    {
        var lean = PodProjection.Lean((JsonObject)JsonNode.Parse(SidecarPod)!);
        var pod = new KubeObject(ResourceKind.Pod, lean);

        Assert.Equal(("bookinfo", "reviews-v2-7d9f8-abcde", "42"), (pod.Namespace, pod.Name, pod.ResourceVersion));
        Assert.Equal("v2", pod.Labels["version"]);
        Assert.Equal(("apps/v1", "ReplicaSet", "reviews-v2-7d9f8"), Assert.Single(pod.OwnerReferences));
        Assert.True(MeshIndex.IsReady(pod));
        Assert.Null(lean["spec"]);
        Assert.Null(lean["metadata"]!["managedFields"]);
        Assert.Null(lean["metadata"]!["annotations"]);
        Assert.Null(lean["status"]!["containerStatuses"]);
        Assert.True(lean.ToJsonString().Length * 2 < SidecarPod.Length, "the projection is under half of the pod");
    }

    [Fact]
    public void Lean_OfAPodNotReady_IsNotReady()
    {
        var notReady = (JsonObject)JsonNode.Parse(SidecarPod)!;
        notReady["status"]!["conditions"]![0]!["status"] = "False";

        Assert.False(MeshIndex.IsReady(new KubeObject(ResourceKind.Pod, PodProjection.Lean(notReady))));
    }
    [Fact]
    public void Lean_KeepsTheOwnersNameTheAddressAndOnlyTheReadyCondition_ExactlyAsWritten()
    {
        var lean = PodProjection.Lean((JsonObject)JsonNode.Parse(SidecarPod)!);

        Assert.Equal(
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"reviews-v2-7d9f8-abcde","namespace":"bookinfo","resourceVersion":"42","labels":{"app":"reviews","version":"v2","security.istio.io/tlsMode":"istio"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"reviews-v2-7d9f8"}]},"status":{"phase":"Running","podIP":"10.0.0.7","conditions":[{"type":"Ready","status":"True"}]}}""",
            lean.ToJsonString());
    }

    [Fact]
    public void Summary_AsTheCacheKeepsIt_ReadsLikeTheProjection()
    {
        using var document = JsonDocument.Parse(SidecarPod);
        var pod = new KubeObject(PodSummary.Read(document.RootElement));

        Assert.Equal(("bookinfo", "reviews-v2-7d9f8-abcde", "42"), (pod.Namespace, pod.Name, pod.ResourceVersion));
        Assert.Equal([new("app", "reviews"), new("version", "v2"), new("security.istio.io/tlsMode", "istio")], pod.Labels.ToList());
        Assert.Equal(("apps/v1", "ReplicaSet", "reviews-v2-7d9f8"), Assert.Single(pod.OwnerReferences));
        Assert.True(MeshIndex.IsReady(pod));
        Assert.Equal("10.0.0.7", pod.Pod!.PodIp);
        Assert.Empty(pod.Annotations);
        Assert.Null(pod.Spec);
        // What reads objects generically (YAML, diffs) sees the projection.
        Assert.True(JsonNode.DeepEquals(PodProjection.Lean(document.RootElement), pod.Raw));
    }

    [Fact]
    public void Summary_SharesLabelStringsBetweenPods()
    {
        using var page = JsonDocument.Parse("""{"items": [{"metadata": {"name": "a", "labels": {"version": "v2"}}, "spec": {"port": 9080}}, {"metadata": {"name": "b", "labels": {"version": "v2"}}, "spec": {"port": 9080}}]}""");
        var first = PodSummary.Read(page.RootElement.GetProperty("items")[0]);
        var second = PodSummary.Read(page.RootElement.GetProperty("items")[1]);

        Assert.Same(first.Labels.Single().Key, second.Labels.Single().Key);
        Assert.Same(first.Labels["version"], second.Labels["version"]);
    }

    [Fact]
    public void Lean_OfAnOddPod_LeavesOutWhatIsNullMissingOrNotAString()
    {
        using var page = JsonDocument.Parse("""
            {"items": [{"apiVersion": null, "metadata": {"name": "odd", "labels": {"app": "x", "n": 7, "none": null}, "ownerReferences": [{"kind": "Job", "controller": false}]},
                        "status": {"phase": null, "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready"}, {"type": 7}]}}]}
            """);

        var lean = PodProjection.Lean(page.RootElement.GetProperty("items")[0]);

        Assert.Equal("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"odd","labels":{"app":"x"},"ownerReferences":[{"kind":"Job"}]},"status":{"conditions":[{"type":"Ready"}]}}""",
            lean.ToJsonString());
        Assert.False(MeshIndex.IsReady(new KubeObject(ResourceKind.Pod, lean)));
    }

    [Fact]
    public void ElementNodes_OutliveTheirPage_AndKeepNumbersAsWritten()
    {
        JsonObject kept;
        using (var page = JsonDocument.Parse("""{"items": [{"spec": {"weight": 1.0, "big": 123456789012345678901234567890, "on": true, "off": null, "hosts": ["a", "b"]}}]}"""))
        {
            kept = JsonElementNodes.ToObject(page.RootElement.GetProperty("items")[0]);
        }

        Assert.Equal("""{"spec":{"weight":1.0,"big":123456789012345678901234567890,"on":true,"off":null,"hosts":["a","b"]}}""", kept.ToJsonString());
    }

    [Fact]
    public void ElementNodes_OfTwoObjects_ShareRecurringStringsButNotNodes()
    {
        using var page = JsonDocument.Parse("""{"items": [{"metadata": {"name": "a", "labels": {"version": "v2"}}, "spec": {"port": 9080}}, {"metadata": {"name": "b", "labels": {"version": "v2"}}, "spec": {"port": 9080}}]}""");
        var first = JsonElementNodes.ToObject(page.RootElement.GetProperty("items")[0]);
        var second = JsonElementNodes.ToObject(page.RootElement.GetProperty("items")[1]);

        Assert.Same(first["metadata"]!["labels"]!["version"]!.GetValue<string>(), second["metadata"]!["labels"]!["version"]!.GetValue<string>());
        Assert.Same(first["metadata"]!.AsObject().First().Key, second["metadata"]!.AsObject().First().Key);
        // Changing one object's node leaves the other as it was.
        first["metadata"]!["labels"]!["version"] = "v3";
        Assert.Equal("v2", (string?)second["metadata"]!["labels"]!["version"]);
        // A number that recurs is the same value in both, each in a node of its own.
        first["spec"]!["port"] = 80;
        Assert.Equal(9080, (int?)second["spec"]!["port"]);
        Assert.Equal("""{"port":9080}""", second["spec"]!.ToJsonString());
    }
    [Fact]
    public void Labels_AreReadInPlace_SkippingValuesThatAreNotStrings()
    {
        var pod = KubeObject.Parse(ResourceKind.Pod, """{"metadata": {"name": "p", "labels": {"app": "reviews", "odd": 7, "version": "v2", "none": null}}}""");

        Assert.Equal([new("app", "reviews"), new("version", "v2")], pod.Labels.ToList());
        Assert.Equal(2, pod.Labels.Count);
        Assert.Equal("v2", pod.Labels["version"]);
        Assert.False(pod.Labels.ContainsKey("odd"));
        Assert.False(pod.Labels.TryGetValue("none", out _));
        Assert.Throws<KeyNotFoundException>(() => pod.Labels["missing"]);
        Assert.Empty(KubeObject.Parse(ResourceKind.Pod, """{"metadata": {"name": "bare"}}""").Labels);
    }

    // Pods a list page can hold, each read token by token as the first sync reads them, against the element reader.
    public static TheoryData<string> PodsToRead() => new(
        SidecarPod,
        """{"metadata": {"name": "bare", "namespace": "default"}}""",
        """{"apiVersion": null, "metadata": {"name": "odd", "labels": {"app": "x", "n": 7, "none": null, "o": {"a": "b"}}, "ownerReferences": [{"kind": "Job", "controller": false}, 3, {"name": ["x"]}]}, "status": {"phase": null, "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready"}, {"type": "Ready", "status": "True"}, {"type": 7}, "x"]}}""",
        """{"metadata": null, "status": [1, 2], "spec": {"containers": [{"name": "a", "env": [{"name": "metadata", "value": "{}"}]}]}, "kind": "Pod"}""",
        """{"status": {"conditions": {"type": "Ready"}, "podIP": 10}, "metadata": {"labels": ["app"], "ownerReferences": {"kind": "ReplicaSet"}, "name": "late", "resourceVersion": "9"}}""");

    [Theory]
    [MemberData(nameof(PodsToRead))]
    public void Summary_ReadTokenByToken_EqualsTheElementsAndLeavesTheReaderAtItsEnd(string json)
    {
        using var document = JsonDocument.Parse(json);
        var bytes = System.Text.Encoding.UTF8.GetBytes("[" + json + ", {\"next\": true}]");
        // Not the final block, as a page read from a stream is handed over item by item.
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        reader.Read();
        reader.Read();

        var summary = PodSummary.Read(ref reader);

        Assert.Equal(PodSummary.Read(document.RootElement), summary);
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.Equal(1, reader.CurrentDepth);
        reader.Read();
        reader.Read();
        Assert.True(reader.ValueTextEquals("next"u8), "the next item starts where the pod ended");
    }
}
