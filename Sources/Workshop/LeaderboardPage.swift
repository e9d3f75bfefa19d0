/// The leaderboard page the host serves at `/`: for the projector or a phone, refreshed every
/// two seconds from `/leaderboard.json`.
enum LeaderboardPage {
    static let html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Paddock race</title>
        <style>
          body { margin: 0; font-family: "DejaVu Sans", system-ui, sans-serif; background: #1f2429; color: #e9ecef; }
          header { padding: 24px 32px; display: flex; justify-content: space-between; align-items: baseline; }
          h1 { margin: 0; font-size: 32px; }
          .meta { color: #9aa3ad; }
          table { width: calc(100% - 64px); margin: 0 32px; border-collapse: collapse; font-size: 22px; }
          th { text-align: left; color: #9aa3ad; font-size: 14px; letter-spacing: .08em; padding: 8px; }
          td { padding: 12px 8px; border-top: 1px solid #353d46; }
          tr.first td { color: #e9c46a; font-weight: bold; }
          .empty { padding: 32px; color: #9aa3ad; }
        </style></head>
        <body>
        <header><h1 id="title">Paddock race</h1><div class="meta" id="meta"></div></header>
        <table><thead><tr><th>#</th><th>DRIVER</th><th>AVERAGE LAP</th><th>BEST LAP</th><th>LAPS</th><th>OFF TRACK</th></tr></thead>
        <tbody id="rows"></tbody></table>
        <div class="empty" id="empty">No models yet: submit yours from the app.</div>
        <script>
        // Every value goes in as textContent, never as markup: a name shows exactly as typed.
        function seconds(value) { return typeof value === "number" ? value.toFixed(2) + " s" : "—"; }
        async function refresh() {
          try {
            const reply = await fetch("/leaderboard.json", {cache: "no-store"});
            if (!reply.ok) throw new Error("the host answered " + reply.status);
            const board = await reply.json();
            const rows = Array.isArray(board.rows) ? board.rows : [];
            document.getElementById("title").textContent = board.title;
            document.title = board.title ? board.title + " · Paddock race" : "Paddock race";
            document.getElementById("meta").textContent =
              board.track + " · " + board.laps + " laps · " + (board.race_started ? "race on" : "waiting for the start");
            const lines = rows.map(row => {
              const line = document.createElement("tr");
              if (row.rank === 1 && row.average_lap != null) line.className = "first";
              for (const value of [row.rank, row.name, seconds(row.average_lap), seconds(row.best_lap),
                                   row.laps_completed + " / " + row.laps, row.off_tracks]) {
                const cell = document.createElement("td");
                cell.textContent = value;
                line.appendChild(cell);
              }
              return line;
            });
            document.getElementById("rows").replaceChildren(...lines);
            document.getElementById("empty").style.display = rows.length ? "none" : "block";
          } catch (error) {
            document.getElementById("meta").textContent = "the host is not answering";
          } finally {
            // The next refresh two seconds after this one ends: a slow answer never overlaps the next.
            setTimeout(refresh, 2000);
          }
        }
        refresh();
        </script>
        </body></html>
        """
}
