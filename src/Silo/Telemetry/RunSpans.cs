using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// Spans a run process makes (its epochs), carried to its worker silo as lines on standard error and
/// exported there: <c>{"span":{"name","trace_id","span_id","parent_span_id","start","end","status","tags"}}</c>.
/// </summary>
/// <remarks>
/// Why relay rather than let the run process export its spans itself (OTLP from the child): the child
/// lives minutes and can be killed at any epoch (a lost lease, SIGTERM, the OOM killer), so a batch
/// exporter there loses its last batch, and each child would need the collector's address and its own
/// exporter set-up; the worker already holds the configured providers (OTLP, or a test's in-memory
/// exporter) and already reads the child's standard error line by line for its epochs. A relayed span
/// is re-created in the worker with the child's timestamps, name, attributes and parent (the run span,
/// read by the child from <c>TRACEPARENT</c>); only its span id is new, since .NET cannot start an
/// Activity with a given id, so the child's id is kept as the attribute <c>orchestrator.child.span_id</c>.
/// The worker accepts only spans of its run's own trace, so a child cannot write into other traces.
/// </remarks>
public static class RunSpans
{
    /// <summary>How a span line starts; other lines on the child's standard error are its log.</summary>
    public const string LinePrefix = "{\"span\"";

    /// <summary>Spans relayed per run at most: a run has one per epoch, and a confused child must not flood the exporter.</summary>
    public const int MaxPerRun = 1000;

    /// <summary>The line for a finished span; tag values are kept when they are strings, integers, floating point or booleans.</summary>
    public static string Line(Activity span)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("span");
            json.WriteString("name", span.DisplayName);
            json.WriteString("trace_id", span.TraceId.ToHexString());
            json.WriteString("span_id", span.SpanId.ToHexString());
            json.WriteString("parent_span_id", span.ParentSpanId.ToHexString());
            json.WriteString("start", span.StartTimeUtc.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("end", (span.StartTimeUtc + span.Duration).ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("status", span.Status.ToString());
            json.WriteStartObject("tags");
            foreach (var (key, value) in span.TagObjects)
            {
                switch (value)
                {
                    case string text: json.WriteString(key, text); break;
                    case bool flag: json.WriteBoolean(key, flag); break;
                    case int or long or short: json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
                    case double or float: json.WriteNumber(key, Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
                }
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Re-creates the span of <paramref name="line"/> in this process as a child of its reported parent,
    /// with <paramref name="tags"/> added (the run's identity, which the child does not know in full).
    /// False when the line is not a span of <paramref name="run"/>'s trace, or does not parse.
    /// </summary>
    public static bool Relay(string line, Activity run, IEnumerable<KeyValuePair<string, object?>> tags)
    {
        if (!line.StartsWith(LinePrefix, StringComparison.Ordinal)) return false;
        try
        {
            using var document = JsonDocument.Parse(line);
            var span = document.RootElement.GetProperty("span");
            var traceId = ActivityTraceId.CreateFromString(span.GetProperty("trace_id").GetString());
            if (traceId != run.TraceId) return false;
            var parent = new ActivityContext(traceId, ActivitySpanId.CreateFromString(span.GetProperty("parent_span_id").GetString()), run.ActivityTraceFlags, isRemote: true);
            var start = DateTimeOffset.Parse(span.GetProperty("start").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            var end = DateTime.Parse(span.GetProperty("end").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            var attributes = new ActivityTagsCollection(tags) { ["orchestrator.child.span_id"] = span.GetProperty("span_id").GetString() };
            foreach (var tag in span.GetProperty("tags").EnumerateObject())
                attributes[tag.Name] = tag.Value.ValueKind switch
                {
                    JsonValueKind.String => tag.Value.GetString(),
                    JsonValueKind.True or JsonValueKind.False => tag.Value.GetBoolean(),
                    JsonValueKind.Number when tag.Value.TryGetInt64(out var integer) => integer,
                    JsonValueKind.Number => tag.Value.GetDouble(),
                    _ => null,
                };
            using var relayed = OrchestratorTelemetry.Source.StartActivity(span.GetProperty("name").GetString() ?? "span", ActivityKind.Internal, parent, attributes, startTime: start);
            if (relayed is null) return true;         // nothing listens: dropped as any unsampled span is
            if (Enum.TryParse<ActivityStatusCode>(span.GetProperty("status").GetString(), out var status)) relayed.SetStatus(status);
            relayed.SetEndTime(end);
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            return false;
        }
    }
}
