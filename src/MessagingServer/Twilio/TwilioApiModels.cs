using System.Text.Json.Serialization;

namespace MessagingServer.Twilio;

/// <summary>The part of Twilio's Message resource that a send needs: its id and where it stands.</summary>
internal sealed record TwilioMessageResource(string? Sid, string? Status);

/// <summary>Twilio's error body: <c>{"code": 21211, "message": "...", "more_info": "...", "status": 400}</c>.</summary>
internal sealed record TwilioApiError(int? Code, string? Message, string? MoreInfo, int? Status);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(TwilioMessageResource))]
[JsonSerializable(typeof(TwilioApiError))]
internal sealed partial class TwilioJsonContext : JsonSerializerContext;
