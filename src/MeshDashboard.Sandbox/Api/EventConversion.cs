using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Api;

/// <summary>
/// events.k8s.io/v1 Event is a view of the one stored core/v1 Event with fields renamed (kubernetes pkg/apis/events/v1
/// conversion): regarding = involvedObject, note = message, reportingController = reportingComponent, and the
/// deprecated* fields = source, firstTimestamp, lastTimestamp, count. Everything else has the same name.
/// </summary>
internal static class EventConversion
{
    private static readonly (string EventsV1, string Core)[] Renamed =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    public static JsonObject ToCore(JsonObject eventsV1)
    {
        var core = Rename(eventsV1, toCore: true);
        if (core["apiVersion"] is not null)
        {
            core["apiVersion"] = "v1";
        }
        return core;
    }

    public static JsonObject ToEventsV1(JsonObject core) => Rename(core, toCore: false);

    private static JsonObject Rename(JsonObject source, bool toCore)
    {
        var result = (JsonObject)source.DeepClone();
        foreach (var (eventsV1, core) in Renamed)
        {
            var (from, to) = toCore ? (eventsV1, core) : (core, eventsV1);
            if (result[from] is { } value)
            {
                result.Remove(from);
                result[to] = value.DeepClone();
            }
        }
        return result;
    }
}
