using System.Text.Json;
using System.Text.Json.Serialization;
using MessagingServer.ClientNumbers;

namespace MessagingServer.Cluster.Serialization;

/// <summary>Source-generated JSON for the client number messages that cross nodes (see <see cref="ClientNumberManifests"/>), camelCase.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.General, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ClientNumberCommands.Claim))]
[JsonSerializable(typeof(ClientNumberCommands.GetLastWriter))]
[JsonSerializable(typeof(ClientNumberCommands.CheckConsent))]
[JsonSerializable(typeof(ClientNumberCommands.SetConsent))]
[JsonSerializable(typeof(LastWriterReply))]
[JsonSerializable(typeof(ConsentReply))]
internal sealed partial class ClientNumberJsonContext : JsonSerializerContext;
