using System.Net.WebSockets;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests;

/// <summary>
/// Each GA client event's happy path and error path over a real WebSocket against the real server process, with
/// the embedded engines. Errors must leave the session usable: each error test ends by proving the session still
/// answers.
/// </summary>
public sealed class RealtimeProtocolTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    private static object ManualTurns(string? instructions = null, string[]? modalities = null) => new
    {
        type = "session.update",
        session = new
        {
            type = "realtime",
            instructions = instructions ?? "You are a test agent.",
            output_modalities = modalities ?? ["audio"],
            audio = new { input = new { turn_detection = (object?)null } },
        },
    };

    private static async Task<RealtimeTestClient> ConnectManualAsync(ServerProcess server, string? instructions = null, string[]? modalities = null)
    {
        var client = await RealtimeTestClient.ConnectAsync(server, subprotocols: "realtime");
        await client.WaitForAsync("session.created");
        await client.SendAsync(ManualTurns(instructions, modalities));
        await client.WaitForAsync("session.updated");
        return client;
    }

    /// <summary>Proves the session still answers after an error.</summary>
    private static async Task AssertStillServingAsync(RealtimeTestClient client)
    {
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        await client.WaitForAsync("input_audio_buffer.cleared");
    }

    [Fact]
    public async Task Session_created_comes_first_with_the_full_session_and_the_realtime_subprotocol()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(Server, subprotocols: "realtime");
        var created = await client.WaitForAsync("session.created");
        Assert.Equal("session.created", (string?)client.Events[0]["type"]);
        Assert.Equal("realtime", client.SubProtocol);
        var session = created["session"]!;
        Assert.StartsWith("sess_", (string?)session["id"]);
        Assert.StartsWith("event_", (string?)created["event_id"]);
        Assert.Equal("gpt-realtime", (string?)session["model"]);
        Assert.Equal("audio/pcm", (string?)session["audio"]!["input"]!["format"]!["type"]);
        Assert.Equal(24000, (int?)session["audio"]!["input"]!["format"]!["rate"]);
        Assert.Equal("server_vad", (string?)session["audio"]!["input"]!["turn_detection"]!["type"]);
        Assert.Equal(500, (int?)session["audio"]!["input"]!["turn_detection"]!["silence_duration_ms"]);
    }

    [Fact]
    public async Task Session_update_merges_fields_and_echoes_the_effective_session()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(Server);
        await client.WaitForAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                instructions = "Be brief.",
                audio = new
                {
                    input = new { format = new { type = "audio/pcmu" }, turn_detection = new { type = "semantic_vad", eagerness = "high" } },
                    output = new { voice = "cedar", speed = 1.2 },
                },
                max_output_tokens = 200,
            },
        });
        var updated = (await client.WaitForAsync("session.updated"))["session"]!;
        Assert.Equal("Be brief.", (string?)updated["instructions"]);
        Assert.Equal("audio/pcmu", (string?)updated["audio"]!["input"]!["format"]!["type"]);
        Assert.Equal("semantic_vad", (string?)updated["audio"]!["input"]!["turn_detection"]!["type"]);
        Assert.Equal("high", (string?)updated["audio"]!["input"]!["turn_detection"]!["eagerness"]);
        Assert.Equal("cedar", (string?)updated["audio"]!["output"]!["voice"]);
        Assert.Equal(1.2, (double?)updated["audio"]!["output"]!["speed"]);
        Assert.Equal(200, (int?)updated["max_output_tokens"]);
    }

    [Theory]
    [InlineData("""{"type":"session.update","event_id":"evt_1","session":{"type":"realtime","bogus":1}}""", "unknown_parameter", "session.bogus")]
    [InlineData("""{"type":"session.update","event_id":"evt_1","session":{"type":"realtime","audio":{"output":{"speed":9}}}}""", "invalid_value", "session.audio.output.speed")]
    [InlineData("""{"type":"session.update","event_id":"evt_1","session":{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","threshold":2}}}}}""", "invalid_value", "session.audio.input.turn_detection.threshold")]
    [InlineData("""{"type":"session.update","event_id":"evt_1","session":{"type":"realtime","audio":{"input":{"format":{"type":"audio/pcm","rate":16000}}}}}""", "invalid_value", "session.audio.input.format")]
    [InlineData("""{"type":"session.update","event_id":"evt_1"}""", "missing_required_parameter", "session")]
    [InlineData("""{"type":"input_audio_buffer.append","event_id":"evt_1","audio":"%%%not-base64"}""", "invalid_value", "audio")]
    [InlineData("""{"type":"conversation.item.retrieve","event_id":"evt_1","item_id":"item_nope"}""", "item_not_found", "item_id")]
    [InlineData("""{"type":"conversation.item.delete","event_id":"evt_1","item_id":"item_nope"}""", "item_not_found", "item_id")]
    [InlineData("""{"type":"conversation.item.truncate","event_id":"evt_1","item_id":"item_nope","content_index":0,"audio_end_ms":10}""", "item_not_found", "item_id")]
    [InlineData("""{"type":"conversation.item.create","event_id":"evt_1","item":{"type":"message","role":"wizard","content":[]}}""", "invalid_value", "item.role")]
    [InlineData("""{"type":"conversation.item.create","event_id":"evt_1","previous_item_id":"item_nope","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}""", "invalid_value", "previous_item_id")]
    [InlineData("""{"type":"response.create","event_id":"evt_1","response":{"conversation":"sideways"}}""", "invalid_value", "response.conversation")]
    [InlineData("""{"type":"no.such.event","event_id":"evt_1"}""", "invalid_value", "type")]
    public async Task Bad_client_events_get_an_error_naming_the_field_and_the_session_goes_on(string json, string code, string param)
    {
        await using var client = await RealtimeTestClient.ConnectAsync(Server);
        await client.WaitForAsync("session.created");
        await client.SendRawAsync(json);
        var error = (await client.WaitForAsync("error"))["error"]!;
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Equal(code, (string?)error["code"]);
        Assert.Equal(param, (string?)error["param"]);
        Assert.Equal("evt_1", (string?)error["event_id"]);
        await AssertStillServingAsync(client);
    }

    [Fact]
    public async Task Malformed_json_binary_frames_and_missing_types_are_answered_and_survived()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(Server);
        await client.WaitForAsync("session.created");
        await client.SendRawAsync("{not json");
        Assert.Equal("invalid_json", (string?)(await client.WaitForAsync("error"))["error"]!["code"]);
        await client.SendRawAsync("[1,2,3]");
        Assert.Equal("invalid_json", (string?)(await client.WaitForAsync("error"))["error"]!["code"]);
        await client.SendRawAsync("""{"no_type":true}""");
        Assert.Equal("missing_required_parameter", (string?)(await client.WaitForAsync("error"))["error"]!["code"]);
        await client.SendBinaryAsync([1, 2, 3]);
        Assert.Equal("invalid_message_type", (string?)(await client.WaitForAsync("error"))["error"]!["code"]);
        await AssertStillServingAsync(client);
    }

    [Fact]
    public async Task Committing_an_empty_buffer_is_an_error_and_clear_is_acknowledged()
    {
        await using var client = await ConnectManualAsync(Server);
        await client.SendAsync(new { type = "input_audio_buffer.commit", event_id = "evt_c" });
        var error = (await client.WaitForAsync("error"))["error"]!;
        Assert.Equal("input_audio_buffer_commit_empty", (string?)error["code"]);
        Assert.Equal("evt_c", (string?)error["event_id"]);
        await client.AppendAudioAsync(TestSpeech.Silence(0.5));
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        await client.WaitForAsync("input_audio_buffer.cleared");
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        Assert.Equal("input_audio_buffer_commit_empty", (string?)(await client.WaitForAsync("error"))["error"]!["code"]);
    }

    [Fact]
    public async Task Manual_turn_commit_then_response_create_gives_transcript_and_spoken_answer_in_GA_order()
    {
        await using var client = await ConnectManualAsync(Server);
        await client.AppendAudioAsync(TestSpeech.Pcm("what time is it", tailSeconds: 0.3));
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        var committed = await client.WaitForAsync("input_audio_buffer.committed");
        string itemId = (string)committed["item_id"]!;
        var added = await client.WaitForAsync("conversation.item.added");
        Assert.Equal(itemId, (string?)added["item"]!["id"]);
        Assert.Equal("input_audio", (string?)added["item"]!["content"]![0]!["type"]);
        var transcription = await client.WaitForAsync("conversation.item.input_audio_transcription.completed");
        Assert.Equal(itemId, (string?)transcription["item_id"]);
        Assert.Equal("what time is it", (string?)transcription["transcript"]);
        var profile = transcription["providerData"]!["voiceProfile"]!;
        foreach (var dimension in new[] { "emotion", "vocal_style", "pitch", "speaking_rate", "age", "accent" })
        {
            Assert.NotEmpty(profile[dimension]!.AsArray());
        }

        Assert.Equal("unknown", (string?)profile["age"]![0]!["label"]);
        Assert.Equal(0, (double)profile["age"]![0]!["confidence"]!);
        Assert.Empty(client.All("input_audio_buffer.speech_started"));

        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        var types = client.Events.Select(e => (string)e["type"]!).ToList();
        int created = types.IndexOf("response.created");
        int itemAdded = types.IndexOf("response.output_item.added");
        int partAdded = types.IndexOf("response.content_part.added");
        int firstAudio = types.IndexOf("response.output_audio.delta");
        int audioDone = types.IndexOf("response.output_audio.done");
        int partDone = types.IndexOf("response.content_part.done");
        int itemDone = types.IndexOf("response.output_item.done");
        int responseDone = types.IndexOf("response.done");
        Assert.True(created < itemAdded && itemAdded < partAdded && partAdded < firstAudio && firstAudio < audioDone
                    && audioDone < partDone && partDone < itemDone && itemDone < responseDone, string.Join(",", types));
        Assert.True(types.LastIndexOf("response.output_audio.delta") < audioDone);
        string transcript = (string)client.All("response.output_audio_transcript.done").Single()["transcript"]!;
        Assert.StartsWith("It is", transcript, StringComparison.Ordinal);
        var latency = done["response"]!["latency"]!;
        Assert.True((double)latency["transcript_to_first_token_ms"]! >= 0);
        Assert.True((double)latency["first_token_to_first_audio_ms"]! > 0);
        Assert.True((double)latency["total_to_first_audio_ms"]! > 0);
        var usage = done["response"]!["usage"]!;
        Assert.True((int)usage["output_tokens"]! > 0);
        var audio = client.All("response.output_audio.delta").SelectMany(d => Convert.FromBase64String((string)d["delta"]!)).ToArray();
        Assert.True(TestSpeech.Rms(audio) > 300);
    }

    [Fact]
    public async Task Text_item_create_and_text_only_response()
    {
        await using var client = await ConnectManualAsync(Server, "Say: Hello from the text path.", ["text"]);
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "hi" } } } });
        var added = await client.WaitForAsync("conversation.item.added");
        await client.WaitForAsync("conversation.item.done");
        Assert.Equal("input_text", (string?)added["item"]!["content"]![0]!["type"]);
        await client.SendAsync(new { type = "response.create" });
        var textDone = await client.WaitForAsync("response.output_text.done", 60);
        Assert.Equal("Hello from the text path.", (string?)textDone["text"]);
        Assert.NotEmpty(client.All("response.output_text.delta"));
        Assert.Empty(client.All("response.output_audio.delta"));
        Assert.Equal("completed", (string?)(await client.WaitForAsync("response.done"))["response"]!["status"]);
    }

    [Fact]
    public async Task Item_create_with_root_retrieve_and_delete()
    {
        await using var client = await ConnectManualAsync(Server);
        await client.SendAsync(new { type = "conversation.item.create", item = new { id = "item_first", type = "message", role = "user", content = new[] { new { type = "input_text", text = "one" } } } });
        await client.WaitForAsync("conversation.item.done");
        await client.SendAsync(new { type = "conversation.item.create", previous_item_id = "root", item = new { id = "item_zero", type = "message", role = "system", content = new[] { new { type = "input_text", text = "zero" } } } });
        var added = await client.WaitForAsync("conversation.item.added", where: e => (string?)e["item"]!["id"] == "item_zero");
        Assert.Null((string?)added["previous_item_id"]);
        await client.SendAsync(new { type = "conversation.item.retrieve", item_id = "item_first" });
        var retrieved = await client.WaitForAsync("conversation.item.retrieved");
        Assert.Equal("one", (string?)retrieved["item"]!["content"]![0]!["text"]);
        await client.SendAsync(new { type = "conversation.item.delete", item_id = "item_first" });
        Assert.Equal("item_first", (string?)(await client.WaitForAsync("conversation.item.deleted"))["item_id"]);
        await client.SendAsync(new { type = "conversation.item.retrieve", item_id = "item_first" });
        Assert.Equal("item_not_found", (string?)(await client.WaitForAsync("error"))["error"]!["code"]);
        await client.SendAsync(new { type = "conversation.item.create", item = new { id = "item_zero", type = "message", role = "user", content = new[] { new { type = "input_text", text = "dup" } } } });
        Assert.Equal("item.id", (string?)(await client.WaitForAsync("error"))["error"]!["param"]);
    }

    [Fact]
    public async Task Truncate_cuts_the_assistant_audio_and_the_transcript_the_user_did_not_hear()
    {
        const string Script = "The first sentence is short. The second sentence is a good deal longer than the first one was. The third one ends it.";
        await using var client = await ConnectManualAsync(Server, "Say: " + Script);
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        var item = done["response"]!["output"]![0]!;
        string itemId = (string)item["id"]!;
        Assert.Equal(Script, (string?)item["content"]![0]!["transcript"]);

        await client.SendAsync(new { type = "conversation.item.truncate", item_id = itemId, content_index = 0, audio_end_ms = 600_000 });
        Assert.Equal("audio_end_ms", (string?)(await client.WaitForAsync("error"))["error"]!["param"]);

        await client.SendAsync(new { type = "conversation.item.truncate", item_id = itemId, content_index = 0, audio_end_ms = 1500 });
        var truncated = await client.WaitForAsync("conversation.item.truncated");
        Assert.Equal(1500, (int?)truncated["audio_end_ms"]);
        await client.SendAsync(new { type = "conversation.item.retrieve", item_id = itemId });
        var part = (await client.WaitForAsync("conversation.item.retrieved"))["item"]!["content"]![0]!;
        string cut = (string)part["transcript"]!;
        Assert.StartsWith("The first", cut);
        Assert.True(cut.Length < Script.Length / 2, $"kept too much: '{cut}'");
        Assert.Equal(1500 * 24 * 2, Convert.FromBase64String((string)part["audio"]!).Length);
    }

    [Fact]
    public async Task Response_cancel_without_a_response_is_an_error_and_with_one_ends_it_cancelled()
    {
        await using var client = await ConnectManualAsync(Server, "Say: " + string.Join(' ', Enumerable.Repeat("This sentence keeps the speech engine busy for a while.", 200)));
        await client.SendAsync(new { type = "response.cancel", event_id = "evt_x" });
        Assert.Equal("response_cancel_not_active", (string?)(await client.WaitForAsync("error"))["error"]!["code"]);
        await client.SendAsync(new { type = "response.create" });
        var created = await client.WaitForAsync("response.created");
        await client.WaitForAsync("response.output_audio.delta", 60);
        await client.SendAsync(new { type = "response.create" });
        Assert.Equal("conversation_already_has_active_response", (string?)(await client.WaitForAsync("error"))["error"]!["code"]);
        await client.SendAsync(new { type = "response.cancel" });
        var done = await client.WaitForAsync("response.done", 30);
        Assert.Equal((string?)created["response"]!["id"], (string?)done["response"]!["id"]);
        Assert.Equal("cancelled", (string?)done["response"]!["status"]);
        Assert.Equal("client_cancelled", (string?)done["response"]!["status_details"]!["reason"]);
        Assert.Equal("incomplete", (string?)done["response"]!["output"]![0]!["status"]);
        var types = client.Events.Select(e => (string)e["type"]!).ToList();
        Assert.True(types.LastIndexOf("response.output_audio.delta") < types.IndexOf("response.done"));
    }

    [Fact]
    public async Task Out_of_band_response_stays_out_of_the_conversation()
    {
        await using var client = await ConnectManualAsync(Server);
        await client.SendAsync(new
        {
            type = "response.create",
            response = new
            {
                conversation = "none",
                instructions = "Say: Out of band.",
                output_modalities = new[] { "text" },
                metadata = new { purpose = "classify" },
                input = Array.Empty<object>(),
            },
        });
        var done = await client.WaitForAsync("response.done", 60);
        Assert.Null(done["response"]!["conversation_id"]);
        Assert.Equal("classify", (string?)done["response"]!["metadata"]!["purpose"]);
        Assert.Equal("Out of band.", (string?)(client.All("response.output_text.done").Single())["text"]);
        Assert.Empty(client.All("conversation.item.added"));
    }

    [Fact]
    public async Task Function_tool_call_streams_arguments_and_the_conversation_continues_after_its_output()
    {
        await using var client = await ConnectManualAsync(Server, modalities: ["text"]);
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                tools = new[]
                {
                    new
                    {
                        type = "function",
                        name = "get_weather",
                        description = "Current weather for a city",
                        parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
                    },
                },
                tool_choice = "auto",
            },
        });
        await client.WaitForAsync("session.updated");
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "what is the weather in Paris" } } } });
        await client.SendAsync(new { type = "response.create" });
        var argsDone = await client.WaitForAsync("response.function_call_arguments.done", 60);
        Assert.Equal("get_weather", (string?)argsDone["name"]);
        string arguments = (string)argsDone["arguments"]!;
        Assert.Equal("Paris", (string?)JsonNode.Parse(arguments)!["city"]);
        string streamed = string.Concat(client.All("response.function_call_arguments.delta").Select(d => (string)d["delta"]!));
        Assert.Equal(arguments, streamed);
        string callId = (string)argsDone["call_id"]!;
        var done = await client.WaitForAsync("response.done");
        Assert.Equal("function_call", (string?)done["response"]!["output"]![0]!["type"]);

        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = callId, output = """{"temperature_c":21,"sky":"sunny"}""" } });
        await client.WaitForAsync("conversation.item.done", where: e => (string?)e["item"]!["type"] == "function_call_output");
        await client.SendAsync(new { type = "response.create" });
        var answer = await client.WaitForAsync("response.output_text.done", 60);
        Assert.Contains("21", (string?)answer["text"]);
        Assert.Equal("completed", (string?)(await client.WaitForAsync("response.done"))["response"]!["status"]);
    }

    [Fact]
    public async Task Server_vad_barge_in_cancels_the_speaking_response()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(Server);
        await client.WaitForAsync("session.created");
        string longScript = string.Join(' ', Enumerable.Repeat("I am going to keep talking for quite some time now.", 200));
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "Say: " + longScript } });
        await client.WaitForAsync("session.updated");
        await client.SendAsync(new { type = "response.create" });
        var created = await client.WaitForAsync("response.created");
        await client.WaitForAsync("response.output_audio.delta", 60);
        await client.AppendAudioAsync(TestSpeech.Pcm("stop please"));
        await client.WaitForAsync("input_audio_buffer.speech_started");
        var done = await client.WaitForAsync("response.done", 30, e => (string?)e["response"]!["id"] == (string?)created["response"]!["id"]);
        Assert.Equal("cancelled", (string?)done["response"]!["status"]);
        Assert.Equal("turn_detected", (string?)done["response"]!["status_details"]!["reason"]);
        var events = client.Events.ToList();
        int doneIndex = events.FindIndex(e => ReferenceEquals(e, done));
        string firstId = (string)created["response"]!["id"]!;
        Assert.DoesNotContain(events.Skip(doneIndex + 1), e => (string?)e["type"] == "response.output_audio.delta" && (string?)e["response_id"] == firstId);
        // The interruption becomes the next turn, and it is answered. Appended audio is processed faster than real
        // time, so speech_stopped may come before the cancelled response has closed.
        await client.WaitForAnyAsync("input_audio_buffer.speech_stopped", 30);
        await client.WaitForAsync("response.created", 30, e => (string?)e["response"]!["id"] != firstId);
    }

    [Fact]
    public async Task Output_audio_buffer_clear_is_acknowledged()
    {
        await using var client = await ConnectManualAsync(Server);
        await client.SendAsync(new { type = "output_audio_buffer.clear" });
        await client.WaitForAsync("output_audio_buffer.cleared");
    }

    [Fact]
    public async Task Oversized_messages_are_refused_and_the_session_survives()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(Server);
        await client.WaitForAsync("session.created");
        string huge = new('A', 17 * 1024 * 1024);
        await client.SendRawAsync($$"""{"type":"input_audio_buffer.append","audio":"{{huge}}"}""");
        Assert.Equal("message_too_large", (string?)(await client.WaitForAsync("error", 60))["error"]!["code"]);
        await AssertStillServingAsync(client);
        Assert.Null(client.CloseStatus);
    }

    [Fact]
    public async Task Idle_timeout_after_the_agent_finished_commits_the_silence_and_nudges_the_user()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(Server);
        await client.WaitForAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                instructions = "Say: Are you still there?",
                output_modalities = new[] { "text" },
                audio = new { input = new { turn_detection = new { type = "server_vad", idle_timeout_ms = 5000 } } },
            },
        });
        await client.WaitForAsync("session.updated");
        await client.SendAsync(new { type = "response.create" });
        await client.WaitForAsync("response.done", 30);
        await client.AppendAudioAsync(TestSpeech.Silence(4.0));
        await Task.Delay(500);
        Assert.Empty(client.All("input_audio_buffer.timeout_triggered"));
        await client.AppendAudioAsync(TestSpeech.Silence(1.5));
        var timeout = await client.WaitForAsync("input_audio_buffer.timeout_triggered", 30);
        Assert.True((long)timeout["audio_end_ms"]! >= 5000);
        var committed = await client.WaitForAsync("input_audio_buffer.committed");
        Assert.Equal((string?)timeout["item_id"], (string?)committed["item_id"]);
        var done = await client.WaitForAsync("response.done", 30);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        Assert.Empty(client.All("input_audio_buffer.speech_started"));
    }

    [Fact]
    public async Task Voice_profile_can_be_turned_off_with_provider_data()
    {
        await using var client = await ConnectManualAsync(Server);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", providerData = new { stt = new { voice_profile = false } } } });
        await client.WaitForAsync("session.updated");
        await client.AppendAudioAsync(TestSpeech.Pcm("what time is it", tailSeconds: 0.3));
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        var transcription = await client.WaitForAsync("conversation.item.input_audio_transcription.completed");
        Assert.Null(transcription["providerData"]);
    }

    [Fact]
    public async Task Expressive_tags_are_rendered_as_sound_and_never_appear_in_the_transcript()
    {
        await using var client = await ConnectManualAsync(Server, "Say: [laugh] That is a good one. [whisper] Keep it between us. [sparkly] Bye.");
        await client.SendAsync(new { type = "response.create" });
        var done = await client.WaitForAsync("response.done", 60);
        Assert.Equal("completed", (string?)done["response"]!["status"]);
        string transcript = (string)client.All("response.output_audio_transcript.done").Single()["transcript"]!;
        string streamed = string.Concat(client.All("response.output_audio_transcript.delta").Select(d => (string)d["delta"]!));
        Assert.Equal(transcript, streamed);
        Assert.DoesNotContain("[", transcript, StringComparison.Ordinal);
        Assert.Contains("That is a good one.", transcript, StringComparison.Ordinal);
        Assert.Contains("Keep it between us.", transcript, StringComparison.Ordinal);
        var audio = client.All("response.output_audio.delta").SelectMany(d => Convert.FromBase64String((string)d["delta"]!)).ToArray();
        // The laugh (800 ms) comes first: the opening of the answer is already loud before any word is spoken.
        Assert.True(TestSpeech.Rms(audio.AsSpan(0, 24_000 * 2 / 2)) > 300, "no laugh at the start");
    }

    [Fact]
    public async Task Noise_reduction_runs_before_the_recogniser_and_keeps_clean_speech_intelligible()
    {
        await using var client = await ConnectManualAsync(Server);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { noise_reduction = new { type = "far_field" } } } } });
        var updated = await client.WaitForAsync("session.updated");
        Assert.Equal("far_field", (string?)updated["session"]!["audio"]!["input"]!["noise_reduction"]!["type"]);
        await client.AppendAudioAsync(TestSpeech.Pcm("what time is it", tailSeconds: 0.3));
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        var transcription = await client.WaitForAsync("conversation.item.input_audio_transcription.completed");
        Assert.Equal("what time is it", (string?)transcription["transcript"]);
    }
}
