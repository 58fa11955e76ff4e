using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MessagingServer.Persistence;

/// <summary>
/// The manifests the session events are stored under, and the JSON settings of everything stored. Which type
/// goes with which manifest is kept per host by a <see cref="StoredTypeRegistry"/>, never process-wide.
/// </summary>
public static class StoredTypes
{
    public const string Outbound = "outbound.v1";
    public const string Status = "status.v1";
    public const string Inbound = "inbound.v1";
    public const string Dispatch = "dispatch.v1";
    public const string DispatchAccepted = "dispatch-accepted.v1";
    public const string Ack = "ack.v1";
    public const string OptOut = "optout.v1";
    public const string OptIn = "optin.v1";
    public const string Broadcast = "broadcast.v1";
    public const string ReconcileStarted = "reconcile-started.v1";

    /// <summary>The journal's manifest column holds 500 characters.</summary>
    public const int MaxManifestLength = 500;

    /// <summary>
    /// The JSON settings every stored type is written with: camelCase names, enums as camelCase strings, non-ASCII
    /// text as is. Types without source-generated metadata fall back to reflection.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions(new DefaultJsonTypeInfoResolver());

    internal static JsonSerializerOptions CreateOptions(IJsonTypeInfoResolver? resolver)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            // Stored, never embedded in HTML: keep non-ASCII text readable and compact.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = resolver,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        if (resolver is not null)
        {
            options.MakeReadOnly();
        }

        return options;
    }
}
