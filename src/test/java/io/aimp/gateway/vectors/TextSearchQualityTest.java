package io.aimp.gateway.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.providers.EmbeddingRequest;
import io.aimp.gateway.providers.ProviderSettings;
import io.aimp.gateway.providers.local.LocalProvider;
import io.aimp.gateway.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** all-MiniLM-L6-v2 really runs in process: paraphrases find their sentence. */
class TextSearchQualityTest {

    /** Sentence on one topic, then a paraphrase that shares few words with it. */
    static final String[][] PAIRS = {
            {"The cat slept on the warm windowsill all afternoon.", "A kitten napped in the sunny window for hours."},
            {"Interest rates were raised by the central bank.", "The federal reserve increased borrowing costs."},
            {"She baked a chocolate cake for her son's birthday.", "A mother made a cocoa dessert for her boy's party."},
            {"The football team won the championship final.", "The soccer club took the title in the last match."},
            {"Heavy rain caused flooding in the city streets.", "Downpours left roads in town under water."},
            {"He repaired the leaking pipe under the kitchen sink.", "A plumber fixed the dripping tube beneath the basin."},
            {"The spacecraft landed safely on Mars.", "A probe touched down on the red planet without problems."},
            {"Our flight to Tokyo was delayed by three hours.", "The plane to Japan left hours late."},
            {"The doctor prescribed antibiotics for the infection.", "The physician gave medicine to treat the bacterial illness."},
            {"The stock market fell sharply on Monday.", "Share prices dropped steeply at the start of the week."},
            {"He is learning to play the violin.", "He takes lessons on a string instrument played with a bow."},
            {"The museum opened a new exhibition of ancient Egyptian art.", "A gallery show of pharaoh-era artifacts has started."},
            {"Volcanic ash closed airports across the region.", "An eruption's dust cloud grounded flights nearby."},
            {"The recipe calls for two cups of flour and one egg.", "You need some flour and an egg to make this dish."},
            {"The company laid off two hundred employees.", "The firm cut hundreds of jobs."},
            {"My laptop battery drains very quickly.", "The notebook computer loses its charge fast."},
            {"The children built a sandcastle on the beach.", "Kids made a sand fort by the sea."},
            {"The new law bans smoking in public parks.", "Lighting cigarettes in parks is now illegal."},
            {"Bees pollinate flowers while collecting nectar.", "Insects carry pollen between blossoms as they feed."},
            {"The train was packed with commuters this morning.", "The railway carriage was crowded with office workers at dawn."},
            {"She won a gold medal in swimming at the Olympics.", "The swimmer took first place at the Olympic games."},
            {"The password must contain at least twelve characters.", "Your login secret needs to be a dozen symbols or longer."},
            {"Global temperatures have risen over the last century.", "The planet has warmed during the past hundred years."},
            {"He planted tomatoes and peppers in his garden.", "He grows vegetables in his backyard plot."},
            {"The concert was cancelled because the singer was ill.", "The show was called off since the vocalist was sick."},
            {"Electric cars are becoming cheaper to buy.", "Battery-powered vehicles cost less than they used to."},
            {"The judge sentenced him to five years in prison.", "The court sent the man to jail for half a decade."},
            {"Coffee prices have doubled this year.", "The cost of coffee beans went up twofold in twelve months."},
            {"The hikers reached the summit before sunrise.", "The climbers got to the mountain top before dawn."},
            {"The library extended its opening hours.", "The book lending centre now stays open longer."},
            {"A strong earthquake shook the coastal town.", "A powerful tremor hit the seaside village."},
            {"The baby started walking at ten months.", "The infant took first steps before turning one."},
            {"The software update fixed several security bugs.", "The patch closed a number of vulnerabilities in the program."},
            {"He lost his wallet on the bus.", "He left his purse with his cards on public transport."},
            {"The wedding took place in a small chapel.", "The couple married in a little church."},
            {"Wolves were reintroduced to the national park.", "Wild canines were brought back to the protected reserve."},
            {"The restaurant serves the best sushi in town.", "This place has the finest raw fish rolls in the city."},
            {"She is studying for her chemistry exam.", "She is revising for a science test about molecules."},
            {"The bridge was closed for repairs.", "The crossing is shut while workers fix it."},
            {"Our team uses a kanban board to track tasks.", "We follow work items on a visual card board."},
            {"The ship sank after hitting an iceberg.", "The vessel went down when it struck a block of floating ice."},
            {"He runs five kilometres every morning.", "He jogs a few miles each day at dawn."},
            {"The printer is out of ink again.", "The printing machine has run dry of cartridge toner once more."},
            {"The orchestra performed Beethoven's ninth symphony.", "The philharmonic played a famous classical composer's last symphony."},
            {"The town held elections for a new mayor.", "Residents voted to choose their city leader."},
            {"Honey never spoils if stored properly.", "Bee syrup keeps forever when kept the right way."},
            {"The dog barked at the mail carrier.", "The puppy growled at the postman."},
            {"Solar panels were installed on the school roof.", "Photovoltaic modules now sit on top of the school building."},
            {"The pizza was delivered cold and late.", "Our takeaway order arrived late and not hot."},
            {"Scientists discovered a new species of frog in the rainforest.", "Researchers found an unknown amphibian in the jungle."},
    };

    @TempDir
    Path dataDir;

    @Test
    void should_return_the_paraphrased_sentence_first_for_at_least_45_of_50_paraphrases() {
        // given
        LocalProvider minilm = new LocalProvider("local", ProviderSettings.local());
        List<String> sentences = new ArrayList<>();
        List<String> paraphrases = new ArrayList<>();
        for (String[] p : PAIRS) {
            sentences.add(p[0]);
            paraphrases.add(p[1]);
        }
        Duration timeout = Duration.ofMinutes(2);
        List<float[]> indexed = minilm.embed(new EmbeddingRequest(LocalProvider.MINILM, sentences), timeout).vectors();
        List<float[]> queries = minilm.embed(new EmbeddingRequest(LocalProvider.MINILM, paraphrases), timeout).vectors();
        try (TestDatabases.TestDatabase db = TestDatabases.sqlite()) {
            db.database().jdbc().sql("insert into workspaces (id, name, created_at) values ('ws_q', 'q', 0)").update();
            VectorService service = new VectorService(new JdbcVectorStore(db.database()),
                    new VectorProperties(2000, 100, 1_000_000), dataDir, Clock.systemUTC(), null);
            Namespace ns = new Namespace("ws_q", "mdl_text", "texts", "test");
            List<VectorItem> items = new ArrayList<>();
            for (int i = 0; i < sentences.size(); i++) {
                items.add(new VectorItem("s-" + i, indexed.get(i), null, null, 0, 0));
            }
            service.upsert(ns, "text-embed", "local/all-minilm-l6-v2", items);

            // when
            int first = 0;
            List<String> misses = new ArrayList<>();
            for (int i = 0; i < queries.size(); i++) {
                String top = service.search(ns, queries.get(i), 1, -1, Map.of(), null).getFirst().id();
                if (top.equals("s-" + i)) {
                    first++;
                } else {
                    misses.add(paraphrases.get(i) + " → " + sentences.get(Integer.parseInt(top.substring(2))));
                }
            }

            // then
            assertThat(first).as("paraphrases found first; misses: %s", misses).isGreaterThanOrEqualTo(45);
            service.close();
        }
    }
}
