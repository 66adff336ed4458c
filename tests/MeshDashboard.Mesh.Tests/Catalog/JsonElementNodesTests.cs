using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Tests.Catalog;

/// <summary>A list page's items are read token by token into the same trees the element path makes of them.</summary>
public sealed class JsonElementNodesTests
{
    // Shapes the API server writes (numbers as written, escapes, non-ASCII, nulls, empty containers, nested arrays) and
    // names kept unshared (name, uid, resourceVersion).
    private const string Varied = """
        {"apiVersion":"networking.istio.io/v1","kind":"VirtualService",
         "metadata":{"name":"reviews","namespace":"bookinfo","uid":"0b6f1c2e-aaaa","resourceVersion":"123456",
                     "labels":{"app":"reviews","owner":"team-\u00e9t\u00e9","quote":"say \"hi\"\n"},
                     "annotations":{"long":"a value that is longer than twenty-four characters, by a lot"}},
         "spec":{"hosts":["reviews",""],"http":[{"route":[{"destination":{"host":"reviews","subset":"v1"},"weight":90},
                                                  {"destination":{"host":"reviews","subset":"v2"},"weight":10.0}],
                                        "timeout":"1.5s","retries":{"attempts":3,"perTryTimeout":null},
                                        "fault":{"delay":{"percentage":{"value":0.1},"fixedDelay":"5s"}},
                                        "big":12345678901234567890,"exp":1e3,"neg":-0,"flag":true,"off":false}],
                 "exportTo":[],"extra":{},"nested":[[1,[2]],{"\u0061b":"c"}]}}
        """;

    [Fact]
    public void ReadObject_MakesTheTreeToObjectMakes_TextForText()
    {
        using var document = JsonDocument.Parse(Varied);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(Varied));
        reader.Read();

        var read = JsonElementNodes.ReadObject(ref reader);
        var fromElement = JsonElementNodes.ToObject(document.RootElement);

        Assert.Equal(fromElement.ToJsonString(), read.ToJsonString());
        Assert.True(JsonNode.DeepEquals(fromElement, read));
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.False(reader.Read());
        // Numbers keep the text they were written with.
        Assert.Contains("\"weight\":10.0", read.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("12345678901234567890", read.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadObject_SharesShortValuesAndNames_NotUniqueOnesOrLongOnes()
    {
        var first = Read("""{"metadata":{"name":"reviews","labels":{"app":"reviews"}},"spec":{"long":"a value that is longer than twenty-four characters"}}""");
        var second = Read("""{"metadata":{"name":"reviews","labels":{"app":"reviews"}},"spec":{"long":"a value that is longer than twenty-four characters"}}""");

        Assert.Same(Value(first, "metadata", "labels", "app"), Value(second, "metadata", "labels", "app"));
        Assert.Same(((JsonObject)first["metadata"]!["labels"]!).First().Key, ((JsonObject)second["metadata"]!["labels"]!).First().Key);
        Assert.NotSame(Value(first, "metadata", "name"), Value(second, "metadata", "name"));
        Assert.NotSame(Value(first, "spec", "long"), Value(second, "spec", "long"));
    }

    [Fact]
    public void ReadObject_OfANonObject_IsRefused()
    {
        var reader = new Utf8JsonReader("[1]"u8);
        reader.Read();

        try
        {
            JsonElementNodes.ReadObject(ref reader);
            Assert.Fail("an array was read as an object");
        }
        catch (JsonException)
        {
        }
    }

    private static JsonObject Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return JsonElementNodes.ReadObject(ref reader);
    }

    private static string Value(JsonObject root, params string[] path) =>
        path.Aggregate((JsonNode)root, (node, name) => node[name]!).GetValue<string>();
}
