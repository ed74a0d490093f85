"""Build the twenty_questions catalogue (src/curiosa/envs/data/twenty_questions/catalogue.json).

The catalogue is written here as compact tables and checked before it is saved:

* ``ATTRIBUTES`` lines ``id | question | question ...`` define the yes/no attributes and the ways
  of asking about them (the first question is the canonical one the scripted players use).
* each category lists its attribute ids, implication rules (``mammal -> vertebrate``) and its
  entities as ``name | alias, alias | true attribute ids``; every attribute not listed is false,
  ``-id`` removes an attribute a rule implied, ``* -> ids`` holds for every entity of the category,
  and ``world`` stands for the six inhabited continents.

Run ``python scripts/build_twenty_questions.py`` after editing; it refuses to write a catalogue with
unknown ids, categories with fewer than 40 attributes or entities that share all answers.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/curiosa/envs/data/twenty_questions/catalogue.json"
MIN_ATTRIBUTES = 40
MACROS = {"world": "africa asia europe north_america south_america australia"}

ATTRIBUTES = """
# ---------------------------------------------------------------- shared
alive | Is it alive? | Is it a living thing? | Is it a living organism?
man_made | Is it man-made? | Is it made by people? | Is it artificial? | Was it made by humans?
edible | Can you eat it? | Is it edible? | Do people eat it? | Is it eaten as food?
bigger_than_breadbox | Is it bigger than a breadbox? | Is it larger than a loaf of bread? | Is it big?
bigger_than_person | Is it bigger than a person? | Is it larger than a human? | Is it bigger than an adult?
hold_in_hand | Can you hold it in one hand? | Is it small enough to hold in your hand? | Can you pick it up with one hand?
heavy | Is it heavy? | Is it hard to lift? | Is it too heavy to carry easily?
electric | Does it use electricity? | Is it electric? | Does it need power to work? | Does it plug in?
battery | Does it run on batteries? | Does it have a battery? | Is it battery powered?
metal | Is it made of metal? | Is it mostly metal? | Is it metallic?
wood | Is it made of wood? | Is it wooden?
plastic | Is it made of plastic? | Is it plastic?
glass | Is it made of glass? | Does it have glass in it?
fabric | Is it made of fabric? | Is it made of cloth? | Is it made of textile?
leather | Is it made of leather?
wool | Is it made of wool? | Is it woolen?
cotton | Is it made of cotton?
stone | Is it made of stone? | Is it built of stone or rock?
paper | Is it made of paper or cardboard?
wheels | Does it have wheels? | Does it roll on wheels?
moving_parts | Does it have moving parts? | Does it have parts that move?
sharp | Is it sharp? | Does it have a sharp edge or point? | Is it pointy?
soft | Is it soft? | Is it soft to the touch?
round | Is it round? | Is it circular? | Is it ball shaped?
screen | Does it have a screen? | Does it have a display?
buttons | Does it have buttons? | Do you press buttons on it?
indoors | Is it usually found indoors? | Is it kept inside a house? | Is it used inside?
outdoors | Is it usually found outdoors? | Is it used outside?
kitchen | Is it found in the kitchen? | Is it used in the kitchen? | Would you find it in a kitchen?
bathroom | Is it found in the bathroom? | Is it used in the bathroom?
bedroom | Is it found in the bedroom? | Is it used in the bedroom?
living_room | Is it found in the living room? | Is it kept in the lounge?
office | Is it used in an office? | Would you find it in an office?
garden | Is it used in the garden? | Is it found in the garden? | Is it used for gardening?
water | Does it involve water? | Is it used with water? | Is it a water sport?
hot | Does it get hot? | Does it produce heat? | Is it hot?
cold | Is it cold? | Does it keep things cold? | Is it associated with cold?
light | Does it give off light? | Does it glow? | Does it make light?
loud | Is it loud? | Does it make a loud noise?
expensive | Is it expensive? | Does it usually cost more than 100 dollars? | Is it costly?
portable | Is it portable? | Can you carry it around easily?
# colours
red | Is it red? | Is it red in colour?
orange_color | Is it orange? | Is it orange in colour?
yellow | Is it yellow? | Is it yellow in colour?
green | Is it green? | Is it green in colour?
blue | Is it blue? | Is it blue in colour?
purple | Is it purple? | Is it violet?
pink | Is it pink? | Is it pink in colour?
brown | Is it brown? | Is it brown in colour?
white | Is it white? | Is it white in colour?
black | Is it black? | Is it black in colour?
colorful | Is it colourful? | Does it have many bright colours?
# continents and countries
africa | Does it live in Africa? | Is it found in Africa? | Is it from Africa? | Is it in Africa?
asia | Does it live in Asia? | Is it found in Asia? | Is it from Asia? | Is it in Asia?
europe | Does it live in Europe? | Is it found in Europe? | Is it from Europe? | Is it in Europe?
north_america | Does it live in North America? | Is it found in North America? | Is it from North America? | Is it in North America?
south_america | Does it live in South America? | Is it found in South America? | Is it from South America? | Is it in South America?
australia | Does it live in Australia? | Is it found in Australia? | Is it from Australia? | Is it in Australia or Oceania? | Is it in Oceania?
"""

CATEGORIES: list[dict] = []


def category(key: str, name: str, noun: str, attributes: str, rules: str, entities: str, prefer: str = "") -> None:
    """Add a category; ``prefer`` picks, for each attribute, the first question starting with it as
    the category's canonical wording (e.g. "Is it in " for places)."""
    CATEGORIES.append({"key": key, "name": name, "noun": noun, "attributes": attributes, "rules": rules,
                       "entities": entities, "prefer": prefer})


# =============================================================================== animals
category("animals", "animals", "animal", attributes="""
alive man_made edible bigger_than_breadbox bigger_than_person hold_in_hand
africa asia europe north_america south_america australia
pink orange_color colorful
mammal | Is it a mammal? | Does it feed its babies milk? | Is it a mammalian animal?
bird | Is it a bird?
fish | Is it a fish?
reptile | Is it a reptile?
amphibian | Is it an amphibian?
insect | Is it an insect? | Is it a bug?
arachnid | Is it an arachnid? | Is it a spider or scorpion?
crustacean | Is it a crustacean?
mollusc | Is it a mollusc? | Is it a mollusk?
vertebrate | Is it a vertebrate? | Does it have a backbone? | Does it have a spine? | Does it have a skeleton of bones?
warm_blooded | Is it warm-blooded? | Does it have warm blood?
fur | Does it have fur? | Is it furry? | Is it hairy? | Is it covered in fur?
feathers | Does it have feathers? | Is it covered in feathers?
scales | Does it have scales? | Is it scaly?
shell | Does it have a shell? | Does it have a hard shell?
wings | Does it have wings?
fins | Does it have fins or flippers? | Does it have fins? | Does it have flippers?
tail | Does it have a tail?
has_legs | Does it have legs? | Does it walk on legs?
two_legs | Does it have two legs? | Does it walk on two legs? | Is it two-legged?
four_legs | Does it have four legs? | Does it walk on four legs? | Is it four-legged?
six_legs | Does it have six legs?
eight_legs | Does it have eight legs? | Does it have eight limbs?
hooves | Does it have hooves? | Is it hoofed?
horns | Does it have horns or antlers? | Does it have horns? | Does it have antlers?
long_neck | Does it have a long neck?
trunk | Does it have a trunk?
tusks | Does it have tusks?
beak | Does it have a beak? | Does it have a bill?
mane | Does it have a mane?
hump | Does it have a hump?
pouch | Does it have a pouch? | Is it a marsupial? | Does it carry its babies in a pouch?
spines | Is it prickly? | Does it have quills? | Is it covered in spines?
pincers | Does it have pincers? | Does it have claws that pinch?
tentacles | Does it have tentacles?
stripes | Does it have stripes? | Is it striped?
spots | Does it have spots? | Is it spotted?
black_white | Is it black and white? | Is it coloured black and white?
fly | Can it fly? | Does it fly?
swim | Can it swim well? | Does it swim? | Is it a good swimmer?
hop | Does it hop? | Does it move by jumping?
climb_trees | Does it climb trees? | Can it climb trees?
burrow | Does it dig burrows? | Does it live underground? | Does it live in a burrow?
lives_in_water | Does it live in water? | Is it aquatic? | Does it spend most of its time in water? | Does it live underwater?
ocean | Does it live in the ocean? | Is it a sea animal? | Does it live in the sea? | Is it found in salt water?
freshwater | Does it live in rivers or lakes? | Is it found in fresh water? | Does it live in a river? | Does it live in a lake?
land | Does it live on land? | Is it found on land?
carnivore | Is it a carnivore? | Does it eat only meat? | Is it carnivorous?
eats_meat | Does it eat meat? | Does it eat other animals? | Does it hunt? | Does it eat fish or meat? | Is it a predator? | Is it a meat eater?
eats_plants | Does it eat plants? | Does it eat fruit or leaves? | Does it eat grass?
herbivore | Is it a herbivore? | Does it eat only plants? | Is it vegetarian?
omnivore | Is it an omnivore? | Does it eat both plants and meat? | Does it eat both plants and animals?
eats_insects | Does it eat insects? | Does it eat bugs?
pet | Is it a pet? | Do people keep it as a pet? | Is it a common pet?
farm | Is it a farm animal? | Is it raised on farms? | Is it livestock? | Would you find it on a farm?
domesticated | Is it domesticated? | Is it a domestic animal? | Is it tame?
wild | Is it a wild animal? | Does it live in the wild?
dangerous | Is it dangerous? | Is it dangerous to humans? | Can it kill a person?
venomous | Is it venomous? | Is it poisonous? | Does it have venom?
sting | Can it sting you? | Does it have a stinger? | Does it sting?
nocturnal | Is it nocturnal? | Is it active at night? | Does it come out at night?
ride | Can you ride it? | Do people ride it?
milk_drunk | Do people drink its milk? | Is it milked?
lays_eggs | Does it lay eggs? | Does it hatch from an egg?
savanna | Does it live on the savanna? | Is it found in grasslands?
rainforest | Does it live in the rainforest? | Is it found in the jungle? | Does it live in the jungle?
desert | Does it live in the desert? | Is it found in deserts?
forest | Does it live in forests? | Is it found in the woods? | Does it live in a forest?
polar | Does it live in the Arctic or Antarctic? | Does it live where it is very cold? | Is it a polar animal?
feline | Is it a feline? | Is it in the cat family? | Is it a kind of cat?
canine | Is it a canine? | Is it in the dog family? | Is it a kind of dog?
bear_family | Is it a bear? | Is it in the bear family? | Is it a kind of bear?
big_cat | Is it a big cat?
primate | Is it a primate? | Is it an ape or monkey? | Is it a monkey? | Is it an ape?
rodent | Is it a rodent?
snake | Is it a snake? | Is it a serpent?
turtle | Is it a turtle? | Is it a turtle or tortoise?
bird_of_prey | Is it a bird of prey? | Is it a raptor?
marine_mammal | Is it a marine mammal? | Is it a mammal that lives in the sea?
web | Does it spin a web? | Does it make webs? | Does it make silk?
honey | Does it make honey?
change_color | Can it change colour? | Does it change colour?
breathes_air | Does it breathe air? | Does it come up for air?
woolly | Does it have wool? | Is it woolly? | Do we get wool from it?
largest | Is it the largest animal? | Is it the biggest animal in the world?
""", rules="""
* -> alive
mammal -> vertebrate warm_blooded breathes_air
bird -> breathes_air
reptile -> breathes_air
amphibian -> breathes_air
insect -> breathes_air
arachnid -> breathes_air
carnivore -> eats_meat
herbivore -> eats_plants
omnivore -> eats_meat eats_plants
bird -> vertebrate warm_blooded feathers lays_eggs wings beak two_legs tail
fish -> vertebrate fins lives_in_water swim tail
reptile -> vertebrate scales
amphibian -> vertebrate
insect -> six_legs
arachnid -> eight_legs
crustacean -> shell lays_eggs
two_legs -> has_legs
four_legs -> has_legs
six_legs -> has_legs
eight_legs -> has_legs
bigger_than_person -> bigger_than_breadbox
big_cat -> feline
feline -> mammal fur tail four_legs carnivore land
canine -> mammal fur tail four_legs land
bear_family -> mammal fur tail four_legs land
rodent -> mammal fur four_legs land
marine_mammal -> mammal ocean lives_in_water swim
snake -> reptile carnivore tail land
turtle -> reptile shell tail
""", entities="""
dog | puppy, hound, domestic dog, doggy | canine omnivore pet domesticated bigger_than_breadbox swim world
cat | kitten, kitty, house cat, domestic cat, pussycat | feline pet domesticated bigger_than_breadbox climb_trees world
horse | pony, stallion, mare, foal | mammal fur tail four_legs hooves herbivore farm domesticated bigger_than_person mane swim land ride world
cow | cattle, bull, calf, ox, dairy cow | mammal tail four_legs hooves horns herbivore farm domesticated bigger_than_person land milk_drunk edible world
pig | hog, swine, piglet, boar | mammal tail four_legs hooves omnivore farm domesticated bigger_than_person land edible pink world
sheep | lamb, ram, ewe | woolly mammal fur tail four_legs hooves horns herbivore farm domesticated bigger_than_breadbox land edible milk_drunk world
goat | billy goat, nanny goat, kid goat | mammal fur tail four_legs hooves horns herbivore farm domesticated bigger_than_breadbox land edible milk_drunk world
chicken | hen, rooster, chick, cockerel | bird omnivore eats_insects farm domesticated land edible bigger_than_breadbox world
duck | mallard, duckling | bird omnivore eats_insects farm wild fly swim lives_in_water freshwater land world edible bigger_than_breadbox
turkey | gobbler | bird omnivore eats_insects farm wild domesticated fly land edible bigger_than_breadbox world
rabbit | bunny, bunny rabbit | mammal fur tail four_legs herbivore pet wild domesticated hop burrow land edible world
mouse | mice, field mouse, house mouse | rodent tail omnivore wild nocturnal world hold_in_hand
hamster | golden hamster | rodent tail omnivore pet domesticated nocturnal burrow hold_in_hand world
elephant | african elephant, asian elephant | mammal tail four_legs herbivore trunk tusks wild africa asia savanna rainforest bigger_than_person swim land ride dangerous
giraffe | camelopard | mammal tail four_legs hooves horns long_neck spots herbivore wild africa savanna bigger_than_person land
zebra | | mammal tail four_legs hooves stripes black_white mane herbivore wild africa savanna bigger_than_person swim land
lion | lioness, lion cub | big_cat mane wild dangerous africa asia savanna bigger_than_person nocturnal
tiger | tigress, bengal tiger | big_cat stripes orange_color wild dangerous asia rainforest forest bigger_than_person swim nocturnal
leopard | panther | big_cat spots wild dangerous africa asia savanna rainforest forest climb_trees bigger_than_breadbox nocturnal
cheetah | | big_cat spots wild africa asia savanna bigger_than_breadbox
brown bear | grizzly bear, grizzly, kodiak bear | bear_family omnivore wild dangerous north_america europe asia forest bigger_than_person swim
polar bear | ice bear, white bear | bear_family carnivore wild dangerous polar north_america europe asia bigger_than_person swim ocean
giant panda | panda, panda bear | bear_family herbivore black_white wild asia forest bigger_than_person climb_trees
kangaroo | roo | mammal fur tail two_legs herbivore wild australia hop pouch savanna desert bigger_than_breadbox land edible
koala | koala bear | mammal fur four_legs herbivore wild australia forest pouch climb_trees nocturnal bigger_than_breadbox land
platypus | duck-billed platypus | mammal fur tail four_legs carnivore eats_insects lays_eggs venomous beak wild australia freshwater lives_in_water swim land burrow nocturnal bigger_than_breadbox
wolf | grey wolf, gray wolf, timber wolf | canine carnivore wild dangerous north_america europe asia forest bigger_than_breadbox
fox | red fox, vixen | canine omnivore wild nocturnal burrow north_america europe asia africa australia forest bigger_than_breadbox orange_color
deer | stag, doe, fawn, reindeer, caribou | mammal fur tail four_legs hooves horns herbivore wild forest world edible bigger_than_breadbox land
moose | elk | mammal fur tail four_legs hooves horns herbivore wild forest north_america europe asia bigger_than_person dangerous swim land edible
camel | dromedary, bactrian camel | mammal fur tail four_legs herbivore hump domesticated farm africa asia australia desert long_neck bigger_than_person ride milk_drunk edible land
hippopotamus | hippo | mammal tail four_legs herbivore wild dangerous africa savanna lives_in_water freshwater land tusks bigger_than_person nocturnal
rhinoceros | rhino | mammal tail four_legs hooves horns herbivore wild dangerous africa asia savanna rainforest bigger_than_person land
gorilla | silverback | primate mammal fur two_legs herbivore wild africa rainforest bigger_than_person land
chimpanzee | chimp | primate mammal fur two_legs omnivore wild africa rainforest climb_trees dangerous bigger_than_breadbox land
bat | fruit bat, vampire bat | mammal fur wings fly two_legs tail nocturnal carnivore eats_insects wild world hold_in_hand land
squirrel | chipmunk | rodent tail omnivore wild climb_trees forest north_america europe asia africa south_america hold_in_hand
hedgehog | | mammal spines tail four_legs omnivore eats_insects wild europe asia africa nocturnal hold_in_hand land
blue whale | whale | largest marine_mammal tail fins carnivore wild bigger_than_person
dolphin | bottlenose dolphin | marine_mammal tail fins carnivore wild bigger_than_person
seal | harbour seal, harbor seal | marine_mammal fur tail fins carnivore wild land polar bigger_than_person
otter | sea otter, river otter | mammal fur tail four_legs carnivore swim lives_in_water freshwater ocean land wild north_america europe asia africa south_america bigger_than_breadbox
beaver | | rodent tail herbivore swim lives_in_water freshwater wild north_america europe asia forest nocturnal bigger_than_breadbox
sloth | | mammal fur four_legs herbivore wild south_america north_america rainforest climb_trees swim bigger_than_breadbox land
raccoon | racoon | mammal fur tail four_legs omnivore wild nocturnal north_america europe asia climb_trees forest bigger_than_breadbox land
skunk | | mammal fur tail four_legs omnivore eats_insects wild nocturnal stripes black_white north_america south_america bigger_than_breadbox land
armadillo | | mammal shell tail four_legs omnivore eats_insects burrow wild north_america south_america nocturnal bigger_than_breadbox land
penguin | emperor penguin | bird carnivore swim lives_in_water ocean wild polar land black_white africa australia south_america bigger_than_breadbox
eagle | bald eagle, golden eagle | bird carnivore fly wild bird_of_prey world bigger_than_breadbox land
owl | barn owl, owlet | bird carnivore fly wild nocturnal bird_of_prey world forest land
parrot | macaw, parakeet, budgie, cockatoo | bird herbivore fly wild pet rainforest africa asia australia south_america north_america colorful land
flamingo | | bird omnivore fly wild long_neck freshwater africa asia europe south_america north_america pink colorful bigger_than_breadbox land
ostrich | | bird omnivore wild africa savanna desert long_neck bigger_than_person edible land
peacock | peafowl, peahen | bird omnivore eats_insects fly wild asia colorful bigger_than_breadbox land forest
pigeon | dove, rock dove | bird herbivore fly wild world hold_in_hand land
swan | cygnet | bird herbivore fly swim lives_in_water freshwater land wild europe asia north_america south_america australia long_neck bigger_than_breadbox
hummingbird | | bird omnivore eats_insects fly wild north_america south_america hold_in_hand colorful land
great white shark | shark, white shark | fish scales carnivore wild dangerous ocean bigger_than_person
salmon | | fish scales carnivore wild ocean freshwater edible north_america europe asia lays_eggs bigger_than_breadbox
goldfish | | fish scales omnivore pet domesticated freshwater lays_eggs hold_in_hand orange_color world
octopus | | mollusc carnivore wild ocean lives_in_water swim eight_legs tentacles lays_eggs venomous change_color edible bigger_than_breadbox
jellyfish | jelly fish | carnivore wild ocean lives_in_water swim sting venomous tentacles lays_eggs
starfish | sea star | carnivore wild ocean lives_in_water lays_eggs hold_in_hand
crab | | crustacean pincers has_legs omnivore wild ocean lives_in_water land edible hold_in_hand
lobster | | crustacean pincers has_legs tail omnivore wild ocean lives_in_water edible hold_in_hand
shrimp | prawn | crustacean has_legs tail omnivore wild ocean freshwater lives_in_water swim edible hold_in_hand
cobra | king cobra | snake wild venomous dangerous africa asia lays_eggs bigger_than_breadbox
rattlesnake | rattler | snake wild venomous dangerous north_america south_america desert bigger_than_breadbox
crocodile | croc | reptile carnivore wild dangerous lives_in_water freshwater ocean swim land tail four_legs lays_eggs africa asia australia north_america south_america bigger_than_person
sea turtle | green turtle, leatherback | turtle fins ocean lives_in_water swim omnivore wild lays_eggs bigger_than_breadbox
tortoise | giant tortoise | turtle four_legs herbivore wild land lays_eggs africa asia europe north_america south_america desert pet
chameleon | | reptile carnivore eats_insects wild change_color climb_trees tail four_legs lays_eggs africa asia rainforest hold_in_hand colorful land
komodo dragon | komodo, komodo lizard | reptile carnivore wild dangerous venomous asia tail four_legs lays_eggs swim land bigger_than_person
frog | toad, tadpole, bullfrog | amphibian carnivore eats_insects wild hop swim freshwater lives_in_water land four_legs lays_eggs world hold_in_hand edible
butterfly | | insect wings fly herbivore wild world colorful hold_in_hand lays_eggs land
honeybee | bee, honey bee | insect wings fly herbivore sting venomous honey wild world hold_in_hand stripes lays_eggs land
ant | ants, fire ant | insect omnivore wild world burrow hold_in_hand land lays_eggs
housefly | fly, house fly, bluebottle | insect wings fly omnivore wild world hold_in_hand lays_eggs land
spider | tarantula, black widow | arachnid carnivore eats_insects wild venomous web world hold_in_hand lays_eggs land
scorpion | | arachnid carnivore eats_insects wild venomous sting dangerous tail pincers desert burrow nocturnal world hold_in_hand land
ladybug | ladybird, ladybird beetle | insect wings fly carnivore eats_insects wild spots colorful world hold_in_hand lays_eggs land
grasshopper | locust | insect wings fly hop herbivore wild world hold_in_hand lays_eggs land
snail | garden snail | mollusc shell herbivore wild world hold_in_hand lays_eggs land edible breathes_air
""")


# =============================================================================== fruits and vegetables
category("fruits_vegetables", "fruits and vegetables", "fruit or vegetable", attributes="""
edible man_made hold_in_hand bigger_than_breadbox heavy round
red orange_color yellow green blue purple brown white black
fruit | Is it a fruit? | Is it usually called a fruit?
vegetable | Is it a vegetable? | Is it usually called a vegetable? | Is it a veggie?
berry | Is it a berry? | Is it called a berry?
citrus | Is it a citrus fruit? | Is it citrus?
tropical | Is it tropical? | Does it grow in tropical places? | Is it a tropical fruit?
grows_on_trees | Does it grow on trees? | Does it grow on a tree?
grows_underground | Does it grow underground? | Is the part we eat underground? | Is it a root vegetable? | Do you dig it up?
vine | Does it grow on a vine? | Does it grow on a climbing or trailing plant?
bush | Does it grow on a bush? | Does it grow on a shrub?
leafy | Is it a leafy vegetable? | Do you eat its leaves? | Is it leafy? | Is it a leaf?
pit | Does it have a pit? | Does it have a stone in the middle? | Does it have one big seed?
seeds_inside | Does it have seeds inside? | Does it have seeds? | Are there seeds inside it?
seeds_outside | Are its seeds on the outside? | Does it have seeds on its skin?
peel | Do you peel it before eating? | Do you have to peel it? | Do you remove the skin before eating it?
edible_skin | Do you usually eat the skin? | Is the skin eaten? | Do people eat the peel?
sweet | Is it sweet? | Does it taste sweet?
sour | Is it sour? | Does it taste sour? | Is it tart?
spicy | Is it spicy? | Does it burn your mouth? | Is it peppery?
juicy | Is it juicy?
crunchy | Is it crunchy? | Is it crisp?
eaten_raw | Is it usually eaten raw? | Do people eat it raw? | Is it eaten uncooked?
cooked | Is it usually cooked before eating? | Do you usually cook it? | Is it cooked?
juice | Is it made into juice? | Do people drink its juice? | Is it used to make juice?
dried | Is it often eaten dried? | Is it sold dried? | Is it dried?
bite_sized | Is it bite-sized? | Can you eat it in one bite? | Can you eat it whole in one mouthful?
legume | Is it a legume? | Is it a bean or pea? | Does it grow in a pod?
gourd | Is it a gourd or squash? | Is it in the squash family? | Is it a kind of melon?
nightshade | Is it a nightshade? | Is it in the nightshade family?
onion_family | Is it in the onion family? | Is it an allium?
cruciferous | Is it a cruciferous vegetable? | Is it in the cabbage family?
fungus | Is it a fungus? | Is it a fungi?
nut | Is it a nut? | Is it called a nut?
grain | Is it a grain? | Is it a cereal grain?
pepper | Is it a pepper? | Is it a kind of pepper?
pie | Is it used in pies? | Is it made into pie? | Is it a pie filling?
wine | Is it used to make wine?
fries | Is it used to make fries or chips? | Is it made into french fries?
oil | Is it used to make oil? | Is it pressed for oil?
native_americas | Did it originally come from the Americas? | Is it native to America? | Was it first grown in the Americas?
native_asia | Did it originally come from Asia? | Is it native to Asia? | Was it first grown in Asia?
fuzzy | Is its skin fuzzy? | Is it fuzzy? | Is its skin hairy?
bunches | Does it grow in bunches? | Does it come in a bunch?
segments | Does it have segments or cloves? | Does it split into segments? | Does it have cloves?
stalk | Do you eat its stalk? | Is it a stalk? | Is it a stem vegetable?
flower_eaten | Do you eat its flower? | Is it a flower we eat? | Is it made of florets?
strong_smell | Does it have a strong smell? | Is it smelly?
long | Is it long and thin? | Is it long? | Is it elongated?
""", rules="""
* -> edible
citrus -> fruit seeds_inside segments grows_on_trees juicy juice
berry -> fruit
cruciferous -> vegetable
onion_family -> vegetable grows_underground strong_smell
legume -> seeds_inside
""", entities="""
apple | green apple, red apple | fruit grows_on_trees seeds_inside edible_skin sweet juicy crunchy eaten_raw juice pie red green round native_asia hold_in_hand
banana | bananas | fruit tropical grows_on_trees peel sweet eaten_raw yellow bunches long native_asia hold_in_hand
orange | navel orange | citrus peel sweet eaten_raw orange_color round native_asia hold_in_hand
lemon | | citrus sour yellow pie native_asia hold_in_hand
lime | key lime | citrus sour green round native_asia hold_in_hand
grapefruit | | citrus peel sour eaten_raw yellow round native_americas hold_in_hand
grape | grapes | fruit vine bunches seeds_inside edible_skin sweet juicy eaten_raw juice wine dried bite_sized green purple round native_asia hold_in_hand
strawberry | strawberries | berry seeds_outside edible_skin sweet juicy eaten_raw red hold_in_hand
blueberry | blueberries | berry bush edible_skin sweet eaten_raw blue bite_sized round pie native_americas hold_in_hand
raspberry | raspberries | berry bush edible_skin sweet eaten_raw red bite_sized hold_in_hand
cranberry | cranberries | berry vine edible_skin sour juice dried red bite_sized round native_americas hold_in_hand
cherry | cherries | fruit grows_on_trees pit edible_skin sweet juicy eaten_raw red bite_sized round pie hold_in_hand
peach | peaches | fruit grows_on_trees pit edible_skin sweet juicy eaten_raw fuzzy orange_color round pie native_asia hold_in_hand
apricot | apricots | fruit grows_on_trees pit edible_skin sweet eaten_raw fuzzy orange_color dried round native_asia hold_in_hand
plum | prune | fruit grows_on_trees pit edible_skin sweet juicy eaten_raw purple dried round hold_in_hand
pear | pears | fruit grows_on_trees seeds_inside edible_skin sweet juicy eaten_raw green hold_in_hand
watermelon | water melon | fruit vine gourd seeds_inside peel sweet juicy eaten_raw green red round bigger_than_breadbox heavy
melon | cantaloupe, honeydew, muskmelon, honeydew melon | fruit vine gourd seeds_inside peel sweet juicy eaten_raw round
pineapple | ananas | fruit tropical peel sweet juicy eaten_raw juice yellow native_americas hold_in_hand
mango | mangoes | fruit tropical grows_on_trees pit peel sweet juicy eaten_raw juice orange_color native_asia hold_in_hand
kiwi | kiwifruit, kiwi fruit, chinese gooseberry | fruit vine fuzzy seeds_inside peel sweet juicy eaten_raw green brown native_asia hold_in_hand
papaya | pawpaw | fruit tropical grows_on_trees seeds_inside peel sweet juicy eaten_raw orange_color native_americas hold_in_hand
coconut | coconuts | fruit nut tropical grows_on_trees peel juice oil brown fuzzy round native_asia hold_in_hand eaten_raw
avocado | avocado pear, avo | fruit tropical grows_on_trees pit peel eaten_raw green oil native_americas hold_in_hand
pomegranate | pomegranates | fruit grows_on_trees seeds_inside peel sweet juicy eaten_raw juice red round native_asia hold_in_hand
fig | figs | fruit grows_on_trees seeds_inside edible_skin sweet eaten_raw dried purple native_asia hold_in_hand
date | dates, date fruit | fruit grows_on_trees pit sweet eaten_raw dried brown bunches bite_sized native_asia hold_in_hand
olive | olives | fruit grows_on_trees pit edible_skin oil green black bite_sized hold_in_hand
tomato | tomatoes | fruit vegetable vine nightshade seeds_inside edible_skin juicy eaten_raw juice red round native_americas hold_in_hand
potato | potatoes, spud | vegetable grows_underground nightshade cooked fries brown native_americas hold_in_hand
sweet potato | yam, sweet potatoes | vegetable grows_underground cooked sweet fries orange_color native_americas hold_in_hand
carrot | carrots | vegetable grows_underground crunchy eaten_raw juice orange_color long native_asia hold_in_hand
onion | onions, red onion | onion_family peel cooked round native_asia hold_in_hand
garlic | garlic clove | onion_family peel cooked segments white native_asia hold_in_hand
leek | leeks | onion_family cooked green white long hold_in_hand -grows_underground
lettuce | iceberg lettuce, romaine | vegetable leafy eaten_raw crunchy green hold_in_hand
spinach | | vegetable leafy eaten_raw cooked green native_asia hold_in_hand
cabbage | red cabbage | cruciferous leafy eaten_raw cooked crunchy green round hold_in_hand
broccoli | | cruciferous flower_eaten cooked green hold_in_hand
cauliflower | | cruciferous flower_eaten cooked white hold_in_hand
brussels sprouts | brussels sprout, sprouts | cruciferous cooked green bite_sized round hold_in_hand
radish | radishes | cruciferous grows_underground crunchy eaten_raw spicy red bite_sized round hold_in_hand
cucumber | cucumbers | vegetable vine gourd seeds_inside edible_skin juicy crunchy eaten_raw green long native_asia hold_in_hand
zucchini | courgette, zucchinis | vegetable gourd seeds_inside edible_skin cooked green long native_americas hold_in_hand
eggplant | aubergine, brinjal | vegetable nightshade seeds_inside edible_skin cooked purple native_asia hold_in_hand
pumpkin | squash | vegetable vine gourd seeds_inside peel cooked orange_color round pie native_americas bigger_than_breadbox heavy
bell pepper | capsicum, sweet pepper, red pepper, green pepper | vegetable nightshade pepper seeds_inside edible_skin crunchy juicy eaten_raw red green native_americas hold_in_hand
chili pepper | chili, chilli, chile, chilli pepper, jalapeno, hot pepper | vegetable nightshade pepper seeds_inside edible_skin spicy dried red green long native_americas hold_in_hand
corn | maize, sweetcorn, sweet corn, corn on the cob | vegetable grain cooked sweet yellow oil long native_americas hold_in_hand
pea | peas, green peas, garden pea | vegetable legume cooked green bite_sized round hold_in_hand
green bean | green beans, string bean, runner bean, french bean | vegetable legume edible_skin cooked green long native_americas hold_in_hand
mushroom | mushrooms, button mushroom | vegetable fungus cooked white hold_in_hand
celery | | vegetable stalk crunchy eaten_raw green long hold_in_hand
asparagus | | vegetable stalk cooked green long hold_in_hand
beet | beetroot, beets | vegetable grows_underground cooked sweet juice red purple round hold_in_hand
ginger | ginger root | grows_underground spicy strong_smell peel cooked brown native_asia hold_in_hand
peanut | peanuts, groundnut | legume nut grows_underground peel oil brown bite_sized native_americas hold_in_hand
""")


# =============================================================================== household objects
category("household", "household objects", "household object", attributes="""
man_made bigger_than_breadbox bigger_than_person hold_in_hand heavy electric battery
metal wood plastic glass fabric cotton moving_parts sharp soft round
kitchen bathroom bedroom living_room office indoors outdoors water hot cold light loud
has_legs buttons wheels
ceramic | Is it made of ceramic? | Is it made of porcelain? | Is it made of china or pottery?
flat | Is it flat?
furniture | Is it furniture? | Is it a piece of furniture?
appliance | Is it an appliance? | Is it a household appliance? | Is it a machine?
sit_on | Can you sit on it? | Do people sit on it?
lie_on | Can you lie down on it? | Can you lie on it?
sleep | Is it used for sleeping? | Do you use it in bed?
cleaning | Is it used for cleaning? | Does it clean things? | Do you clean with it?
cooking | Is it used for cooking? | Do you cook with it? | Is it used to prepare food?
eating | Do you eat or drink with it? | Is it used for eating? | Is it tableware? | Is it cutlery?
hygiene | Is it used for personal hygiene? | Do you use it to wash or groom yourself?
storage | Do you store things in it? | Is it used for storage? | Is it a container? | Can you put things in it?
door_on | Does it have a door? | Does it have doors?
hangs_on_wall | Does it hang on the wall? | Is it mounted on a wall?
on_floor | Does it stand on the floor? | Is it kept on the floor?
decoration | Is it decorative? | Is it used for decoration? | Is it a decoration?
fragile | Is it fragile? | Can it break easily? | Is it breakable?
reflective | Can you see your reflection in it? | Does it reflect? | Is it reflective?
tells_time | Does it tell the time? | Does it show the time?
handle | Does it have a handle?
lid | Does it have a lid? | Does it have a cover?
clothes_care | Is it used for clothes? | Is it used for laundry? | Is it used to wash or dry clothes?
flame | Does it have a flame? | Do you light it with a match? | Does it burn?
holds_liquid | Does it hold liquid? | Can you put liquid in it? | Can it hold water?
prongs | Does it have prongs? | Does it have tines?
""", rules="""
* -> man_made
appliance -> electric
furniture -> on_floor
bigger_than_person -> bigger_than_breadbox
""", entities="""
chair | dining chair, armchair | furniture sit_on has_legs wood kitchen living_room office indoors bigger_than_breadbox
table | dining table, kitchen table, coffee table | furniture has_legs wood flat kitchen living_room indoors bigger_than_breadbox heavy
bed | double bed, single bed | furniture lie_on sit_on sleep has_legs wood fabric soft bedroom indoors bigger_than_person heavy
sofa | couch, settee | furniture sit_on lie_on has_legs fabric soft living_room indoors bigger_than_person heavy
desk | writing desk | furniture has_legs wood flat storage office indoors bigger_than_breadbox heavy
bookshelf | bookcase, shelves, shelf | furniture wood storage living_room office indoors bigger_than_breadbox heavy
wardrobe | closet, armoire | furniture wood storage door_on clothes_care bedroom indoors bigger_than_person heavy
lamp | table lamp, floor lamp, desk lamp | electric light living_room bedroom office indoors
mirror | looking glass | glass reflective fragile hangs_on_wall flat bathroom bedroom indoors
clock | wall clock, alarm clock | tells_time hangs_on_wall battery moving_parts round living_room bedroom kitchen indoors electric
pillow | cushion | soft fabric sleep bedroom living_room indoors hold_in_hand
blanket | duvet, quilt, comforter | soft fabric sleep bedroom indoors bigger_than_breadbox
towel | bath towel | soft fabric cotton hygiene water bathroom indoors
curtain | curtains, drapes | soft fabric decoration living_room bedroom indoors bigger_than_breadbox
rug | carpet, mat | soft fabric flat on_floor decoration living_room indoors bigger_than_breadbox
vase | flower vase | glass ceramic fragile decoration holds_liquid water living_room indoors hold_in_hand
candle | candles | light hot flame decoration living_room indoors hold_in_hand
toothbrush | tooth brush | plastic hygiene handle water bathroom indoors hold_in_hand
comb | hair comb | plastic hygiene flat bathroom indoors hold_in_hand
soap | bar of soap | hygiene cleaning water bathroom indoors hold_in_hand
bathtub | bath, tub | ceramic hygiene water holds_liquid on_floor bathroom indoors bigger_than_person heavy
toilet | loo, lavatory, wc | ceramic hygiene water lid moving_parts on_floor bathroom indoors bigger_than_breadbox heavy
sink | washbasin, basin, wash basin | ceramic metal hygiene cleaning water holds_liquid bathroom kitchen indoors bigger_than_breadbox
refrigerator | fridge, freezer | appliance cold storage door_on metal on_floor kitchen indoors bigger_than_breadbox heavy
washing machine | washer | appliance water cleaning clothes_care door_on moving_parts buttons metal on_floor loud indoors bigger_than_breadbox heavy
dishwasher | dish washer | appliance water cleaning door_on moving_parts buttons metal on_floor kitchen indoors bigger_than_breadbox heavy
microwave | microwave oven | appliance hot cooking door_on buttons metal kitchen indoors bigger_than_breadbox
oven | stove, cooker | appliance hot cooking door_on metal on_floor kitchen indoors bigger_than_breadbox heavy
toaster | | appliance hot cooking moving_parts metal kitchen indoors
kettle | electric kettle | appliance hot water holds_liquid handle lid kitchen indoors hold_in_hand
vacuum cleaner | vacuum, hoover | appliance cleaning moving_parts wheels handle plastic loud indoors bigger_than_breadbox
iron | clothes iron, steam iron | appliance hot clothes_care handle metal water indoors hold_in_hand
fan | electric fan, ceiling fan | appliance cold moving_parts plastic bedroom living_room indoors
broom | sweeping brush | cleaning handle kitchen indoors
bucket | pail | storage holds_liquid water cleaning handle plastic hold_in_hand
trash can | bin, garbage can, rubbish bin, wastebasket, dustbin, trash bin | storage lid plastic on_floor kitchen indoors
plate | dish, dinner plate | eating ceramic fragile round flat kitchen indoors hold_in_hand
mug | cup, coffee mug, teacup, coffee cup | eating holds_liquid ceramic fragile handle kitchen indoors hold_in_hand
fork | | prongs eating metal kitchen indoors hold_in_hand
spoon | teaspoon, tablespoon | eating metal kitchen indoors hold_in_hand
kitchen knife | knife, chef's knife, bread knife | cooking sharp handle metal kitchen indoors hold_in_hand
frying pan | pan, skillet | cooking hot handle metal round kitchen indoors hold_in_hand
light bulb | lightbulb, bulb | electric light hot glass fragile round indoors hold_in_hand
picture frame | photo frame, frame | decoration hangs_on_wall glass wood flat living_room indoors hold_in_hand
clothes hanger | hanger, coat hanger | clothes_care plastic bedroom indoors hold_in_hand
umbrella | brolly | fabric metal moving_parts handle water outdoors hold_in_hand
key | house key, door key, keys | metal hold_in_hand
""")


# =============================================================================== vehicles
category("vehicles", "vehicles", "vehicle", attributes="""
man_made electric wheels wings fly wood bigger_than_breadbox hold_in_hand
red yellow white black
land_vehicle | Does it travel on land? | Is it a land vehicle? | Does it go on the ground?
road | Does it drive on roads? | Is it used on roads? | Does it go on the street?
water_vehicle | Does it travel on water? | Is it a boat? | Does it float? | Is it a watercraft? | Does it go on water?
space | Can it go to space? | Does it travel into space? | Does it go into outer space?
underwater | Can it go underwater? | Does it travel underwater? | Can it dive?
tunnel | Does it travel underground? | Does it go through tunnels?
two_wheels | Does it have two wheels?
three_wheels | Does it have three wheels?
four_wheels | Does it have four wheels?
many_wheels | Does it have more than four wheels? | Does it have lots of wheels?
caterpillar_tracks | Does it have caterpillar tracks? | Does it move on tracks instead of wheels? | Does it have treads?
engine | Does it have an engine? | Does it have a motor? | Is it motorized?
fuel | Does it use fuel? | Does it burn gasoline or diesel? | Does it need petrol? | Does it use gas?
pedals | Does it have pedals? | Do you pedal it?
human_powered | Is it human-powered? | Is it moved by human muscle? | Do you push or paddle it yourself?
animal_powered | Is it pulled by animals? | Is it pulled by horses?
rails | Does it run on rails? | Does it run on train tracks? | Does it use rails?
public_transport | Is it public transport? | Do passengers pay to ride it? | Is it public transportation?
many_passengers | Can it carry more than ten people? | Does it carry many passengers? | Can it carry lots of people?
one_person | Does it usually carry just one person? | Is it for one person? | Is it a single-seater?
emergency | Is it an emergency vehicle? | Is it used in emergencies?
siren | Does it have a siren?
military | Is it used by the military? | Is it a military vehicle? | Is it used in war?
cargo | Is it used to carry goods? | Does it carry cargo? | Does it transport freight?
sails | Does it have sails? | Is it powered by the wind? | Does it have a sail?
enclosed | Does it have a roof? | Is it enclosed? | Do passengers sit inside it?
steering_wheel | Does it have a steering wheel?
handlebars | Does it have handlebars?
license | Do you need a licence to drive it? | Do you need a license to operate it? | Do you need a driving licence?
fast | Can it go faster than 100 km/h? | Is it fast? | Can it go faster than 60 miles per hour?
bigger_than_car | Is it bigger than a car? | Is it larger than a car?
farm_use | Is it used on farms? | Is it farm machinery? | Is it used in agriculture?
construction | Is it used in construction? | Is it a construction vehicle? | Is it used on building sites?
snow | Does it travel on snow? | Is it used on snow?
children | Is it mainly for children? | Is it a kid's vehicle? | Do children ride it?
recreation | Is it used for fun or sport? | Is it used for recreation? | Is it a leisure vehicle?
""", rules="""
* -> bigger_than_breadbox
* -> man_made
two_wheels -> wheels
three_wheels -> wheels
four_wheels -> wheels
many_wheels -> wheels
road -> land_vehicle
rails -> land_vehicle
fuel -> engine
""", entities="""
car | automobile, auto, motorcar, sedan, motor car | road four_wheels fuel enclosed steering_wheel license fast
bus | city bus, coach, double-decker bus | road many_wheels fuel enclosed steering_wheel license public_transport many_passengers bigger_than_car
school bus | | road many_wheels fuel enclosed steering_wheel license many_passengers bigger_than_car yellow children
truck | lorry, semi-truck, semi, eighteen-wheeler, articulated lorry | road many_wheels fuel enclosed steering_wheel license cargo bigger_than_car fast
van | minivan, delivery van, camper van | road four_wheels fuel enclosed steering_wheel license cargo fast
limousine | limo, stretch limo | road four_wheels fuel enclosed steering_wheel license fast bigger_than_car black
taxi | cab, taxicab | road four_wheels fuel enclosed steering_wheel license fast yellow public_transport
motorcycle | motorbike, motor bike | road two_wheels fuel handlebars license fast
bicycle | bike, cycle, pushbike, push bike | road two_wheels pedals human_powered handlebars one_person recreation
tricycle | trike | three_wheels pedals human_powered handlebars one_person children land_vehicle
kick scooter | scooter, push scooter | two_wheels human_powered handlebars one_person children recreation land_vehicle
skateboard | skate board | four_wheels human_powered one_person children recreation wood land_vehicle
train | railway train, locomotive, steam train, passenger train | rails many_wheels fuel electric enclosed license public_transport many_passengers cargo bigger_than_car fast
tram | streetcar, trolley, tramcar | road rails many_wheels engine electric enclosed public_transport many_passengers bigger_than_car
subway | metro, underground, tube, subway train, underground train | rails many_wheels engine electric enclosed tunnel public_transport many_passengers bigger_than_car
cable car | gondola lift, aerial tramway, gondola | electric enclosed public_transport recreation
airplane | aeroplane, plane, airliner, jet, jumbo jet, passenger jet | fly wings wheels fuel enclosed license public_transport many_passengers bigger_than_car fast
helicopter | chopper | fly fuel enclosed license bigger_than_car fast
hot air balloon | balloon, air balloon | fly fuel -engine recreation
glider | sailplane, hang glider | fly wings one_person recreation
rocket | space rocket, spaceship, spacecraft | fly space fuel bigger_than_car fast
fighter jet | jet fighter, warplane, military jet, fighter plane | fly wings wheels fuel enclosed military one_person license fast bigger_than_car
cruise ship | ocean liner, cruise liner, ship | water_vehicle fuel enclosed license many_passengers recreation bigger_than_car
cargo ship | container ship, freighter, tanker | water_vehicle fuel license cargo bigger_than_car
ferry | ferryboat, ferry boat | water_vehicle fuel enclosed license public_transport many_passengers cargo bigger_than_car
sailboat | sailing boat, yacht, sailing ship, sail boat | water_vehicle sails recreation
canoe | kayak | water_vehicle human_powered recreation
submarine | sub, u-boat | water_vehicle underwater engine electric enclosed military bigger_than_car
jet ski | personal watercraft, waverunner, water scooter | water_vehicle fuel handlebars one_person recreation
tractor | | land_vehicle farm_use four_wheels fuel steering_wheel one_person
fire engine | fire truck, firetruck, fire engine truck | road many_wheels fuel enclosed steering_wheel license emergency siren red bigger_than_car
ambulance | | road four_wheels fuel enclosed steering_wheel license emergency siren white fast
police car | cop car, squad car, patrol car | road four_wheels fuel enclosed steering_wheel license emergency siren fast
tank | battle tank, army tank | land_vehicle caterpillar_tracks fuel enclosed military license bigger_than_car
snowmobile | skidoo, snow scooter | land_vehicle snow caterpillar_tracks fuel handlebars recreation
bulldozer | dozer | land_vehicle construction caterpillar_tracks fuel yellow one_person
forklift | forklift truck, fork lift | land_vehicle four_wheels engine cargo steering_wheel one_person
horse-drawn carriage | carriage, stagecoach, horse and carriage, horse carriage, buggy, horse and cart | road four_wheels animal_powered
sled | sledge, toboggan, sleigh | land_vehicle snow human_powered children recreation
golf cart | golf buggy | land_vehicle four_wheels engine electric steering_wheel recreation
""")


# =============================================================================== musical instruments
category("instruments", "musical instruments", "musical instrument", attributes="""
man_made electric metal wood plastic hold_in_hand heavy bigger_than_breadbox round buttons pedals
string_instrument | Is it a string instrument? | Is it a stringed instrument?
has_strings | Does it have strings?
woodwind | Is it a woodwind instrument? | Is it a woodwind?
brass | Is it a brass instrument? | Is it in the brass family?
percussion | Is it a percussion instrument? | Is it percussion?
keyboard_instr | Does it have a keyboard? | Does it have keys like a piano? | Is it a keyboard instrument? | Do you play it with keys?
blow | Do you blow into it? | Is it played by blowing? | Is it a wind instrument? | Do you use your breath to play it?
bow | Is it played with a bow? | Do you use a bow?
pluck | Do you pluck its strings? | Is it played by plucking? | Do you strum it?
strike | Do you hit it to play it? | Is it played by hitting or striking it? | Do you play it with sticks or mallets? | Do you bang it? | Do you hit it with sticks?
shake | Do you shake it? | Is it played by shaking?
frets | Does it have frets? | Does it have a fretboard?
valves | Does it have valves?
slide | Does it have a slide?
reed | Does it use a reed? | Does it have a reed?
mouthpiece | Does it have a mouthpiece?
floor | Does it rest on the floor when played? | Does it stand on the floor?
sit_play | Do you sit down to play it? | Is it played sitting down?
orchestra | Is it found in an orchestra? | Is it used in a symphony orchestra? | Is it an orchestral instrument? | Is it used in classical music?
rock_band | Is it used in rock bands? | Is it found in a rock band? | Is it used in rock music?
jazz | Is it used in jazz? | Is it a jazz instrument?
folk_traditional | Is it a folk instrument? | Is it used in folk music? | Is it a traditional instrument?
non_western | Does it come from outside Europe? | Is it from Asia, Africa, Australia or the Caribbean? | Is it an instrument from another continent than Europe?
six_strings | Does it have six strings?
four_strings | Does it have four strings?
many_strings | Does it have more than ten strings? | Does it have lots of strings?
melody | Can it play a melody? | Can it play different notes? | Can it play tunes? | Does it have a pitch?
chords | Can it play chords? | Can it play several notes at once?
church | Is it played in churches? | Is it found in a church?
drum | Is it a drum? | Is it a kind of drum? | Is it a type of drum?
""", rules="""
* -> man_made
string_instrument -> has_strings melody
woodwind -> blow melody
brass -> blow metal mouthpiece melody orchestra
percussion -> strike
heavy -> bigger_than_breadbox
floor -> bigger_than_breadbox
""", entities="""
piano | grand piano, upright piano, pianoforte | keyboard_instr has_strings many_strings pedals wood heavy floor sit_play melody chords jazz
organ | pipe organ, church organ | keyboard_instr pedals metal wood heavy floor sit_play melody chords church
harpsichord | | keyboard_instr has_strings many_strings wood heavy floor sit_play melody chords
synthesizer | synth, electronic keyboard, keyboard, keytar | keyboard_instr electric buttons plastic melody chords rock_band
accordion | piano accordion, squeezebox | keyboard_instr reed buttons melody chords folk_traditional bigger_than_breadbox
guitar | acoustic guitar, classical guitar, spanish guitar | string_instrument pluck frets six_strings wood chords folk_traditional bigger_than_breadbox
electric guitar | | string_instrument pluck frets six_strings electric wood chords rock_band jazz bigger_than_breadbox
bass guitar | bass, electric bass | string_instrument pluck frets four_strings electric wood rock_band jazz bigger_than_breadbox
violin | fiddle | string_instrument bow four_strings wood orchestra folk_traditional hold_in_hand
viola | | string_instrument bow four_strings wood orchestra bigger_than_breadbox
cello | violoncello | string_instrument bow four_strings wood orchestra floor sit_play
double bass | upright bass, contrabass, string bass | string_instrument bow pluck four_strings wood orchestra jazz floor
harp | concert harp | string_instrument pluck many_strings pedals wood orchestra floor sit_play heavy chords
banjo | | string_instrument pluck frets round folk_traditional chords bigger_than_breadbox
ukulele | uke | string_instrument pluck frets four_strings wood chords hold_in_hand
mandolin | | string_instrument pluck frets wood chords folk_traditional hold_in_hand
sitar | | string_instrument pluck frets many_strings wood non_western sit_play bigger_than_breadbox
flute | concert flute, transverse flute | woodwind metal orchestra jazz hold_in_hand
recorder | | woodwind plastic wood hold_in_hand
clarinet | | woodwind reed mouthpiece wood orchestra jazz hold_in_hand
oboe | | woodwind reed wood orchestra hold_in_hand
bassoon | | woodwind reed wood orchestra bigger_than_breadbox
saxophone | sax, alto sax, tenor sax | woodwind reed mouthpiece metal jazz rock_band bigger_than_breadbox
harmonica | mouth organ, blues harp | blow reed metal melody chords folk_traditional hold_in_hand
bagpipes | bagpipe | woodwind reed folk_traditional bigger_than_breadbox
trumpet | cornet | brass valves jazz hold_in_hand
trombone | | brass slide jazz bigger_than_breadbox
french horn | horn | brass valves round bigger_than_breadbox
tuba | sousaphone | brass valves bigger_than_breadbox
didgeridoo | didjeridu, didge | blow wood non_western folk_traditional floor
drum kit | drum set, drumkit | drum percussion metal floor sit_play heavy pedals rock_band jazz
djembe | | drum percussion wood non_western folk_traditional round bigger_than_breadbox
xylophone | marimba, glockenspiel | percussion wood melody orchestra floor
timpani | kettle drum, kettledrum, kettledrums | drum percussion metal round melody orchestra floor heavy
triangle | | percussion metal orchestra hold_in_hand
tambourine | | percussion shake round folk_traditional hold_in_hand
cymbals | cymbal, crash cymbal | percussion metal round orchestra rock_band jazz
maracas | maraca, shaker | percussion shake non_western folk_traditional hold_in_hand -strike
gong | tam-tam | percussion metal round orchestra non_western
steel drum | steelpan, steel pan, steel drums | drum percussion metal round melody non_western folk_traditional
""")


# =============================================================================== countries (shared by several categories)
ATTRIBUTES += """
country_usa | Is it from the United States? | Is it American? | Is it in the USA? | Is it in the United States? | Was it invented in America?
country_uk | Is it from the United Kingdom? | Is it British? | Is it in the UK? | Is it in Britain? | Is it from England?
country_france | Is it from France? | Is it French? | Is it in France?
country_italy | Is it from Italy? | Is it Italian? | Is it in Italy?
country_spain | Is it from Spain? | Is it Spanish? | Is it in Spain?
country_germany | Is it from Germany? | Is it German? | Is it in Germany?
country_greece | Is it from Greece? | Is it Greek? | Is it in Greece?
country_russia | Is it from Russia? | Is it Russian? | Is it in Russia?
country_turkey | Is it from Turkey? | Is it Turkish? | Is it in Turkey?
country_china | Is it from China? | Is it Chinese? | Is it in China?
country_japan | Is it from Japan? | Is it Japanese? | Is it in Japan?
country_india | Is it from India? | Is it Indian? | Is it in India?
country_thailand | Is it from Thailand? | Is it Thai? | Is it in Thailand?
country_mexico | Is it from Mexico? | Is it Mexican? | Is it in Mexico?
country_canada | Is it from Canada? | Is it Canadian? | Is it in Canada?
country_brazil | Is it from Brazil? | Is it Brazilian? | Is it in Brazil?
country_peru | Is it from Peru? | Is it Peruvian? | Is it in Peru?
country_chile | Is it in Chile? | Is it Chilean? | Is it from Chile?
country_egypt | Is it in Egypt? | Is it Egyptian? | Is it from Egypt?
country_australia | Is it in Australia? | Is it Australian? | Is it from Australia?
country_jordan | Is it in Jordan? | Is it Jordanian?
country_cambodia | Is it in Cambodia? | Is it Cambodian?
country_uae | Is it in the United Arab Emirates? | Is it in Dubai? | Is it in the UAE?
country_nepal | Is it in Nepal? | Is it Nepalese?
country_tanzania | Is it in Tanzania? | Is it Tanzanian?
country_zambia | Is it in Zambia or Zimbabwe? | Is it in Zambia? | Is it in Zimbabwe?
country_lebanon | Is it from Lebanon or the Middle East? | Is it Middle Eastern? | Is it Lebanese? | Is it Arabic?
country_belgium | Is it from Belgium? | Is it Belgian?
country_korea | Is it from Korea? | Is it Korean?
country_austria | Is it from Austria? | Is it Austrian?
country_netherlands | Is it from the Netherlands? | Is it Dutch? | Is it from Holland?
"""


# =============================================================================== sports
category("sports", "sports", "sport", attributes="""
indoors = Is it played indoors?
outdoors = Is it played outdoors?
water = Is it a water sport?
country_usa country_uk country_japan country_canada
ball | Is it played with a ball? | Does it use a ball? | Is there a ball?
team | Is it a team sport? | Is it played in teams? | Do you play it in a team?
individual | Is it an individual sport? | Do athletes compete on their own? | Can you compete alone?
racket | Is it played with a racket? | Do you use a racket or paddle?
bat_club | Do players use a bat, stick, club or cue? | Do you hit the ball with a stick? | Does it use a bat? | Does it use a club?
net_over | Is it played over a net? | Is there a net in the middle? | Do you hit the ball over a net?
goal | Do players score goals? | Are there goals at each end? | Do you shoot at a goal?
hoop | Do you shoot the ball through a hoop? | Is there a basket or hoop?
ice | Is it played on ice? | Does it take place on ice?
snow_sport | Is it done on snow? | Does it involve snow? | Is it a snow sport?
winter_olympics | Is it a Winter Olympic sport? | Is it in the Winter Olympics? | Is it a winter sport?
olympic | Is it an Olympic sport? | Is it in the Olympics? | Is it in the Summer Olympics?
contact | Is it a contact sport? | Do players tackle each other? | Is there physical contact?
combat | Is it a combat sport? | Is it a martial art? | Do the athletes fight each other?
grass | Is it played on grass? | Is it played on a grass field?
court | Is it played on a court?
bicycle_used | Does it use a bicycle? | Is it done on a bike? | Do you ride a bike?
horse_used | Does it involve horses? | Do athletes ride horses?
motor | Is it a motorsport? | Does it involve cars or engines? | Does it use motor vehicles?
board_used | Do you stand on a board? | Does it use a board?
skates | Do you wear skates?
skis | Do you use skis? | Does it use skis?
boat | Does it use a boat? | Is it done in a boat?
helmet | Do players wear helmets? | Do athletes wear a helmet?
kick | Do players kick the ball? | Do you kick the ball?
throw | Do players throw the ball? | Is throwing part of it? | Do you throw things?
race | Is it a race? | Is it about being the fastest? | Is it timed?
judged | Is it scored by judges? | Do judges give scores?
target | Do you aim at a target? | Is it about hitting a target? | Is there a target?
big_ball | Is it played with a big ball? | Is the ball bigger than a tennis ball?
puck | Is it played with a puck?
shuttlecock | Does it use a shuttlecock? | Does it use a birdie?
eleven_players | Are there eleven players on each team? | Does each team have eleven players?
doubles | Can it be played in doubles? | Can it be played two against two?
mountain | Is it done in the mountains? | Does it happen on a mountain?
sea_sport | Is it done in the sea? | Does it take place on the ocean? | Does it need waves?
swimming_pool | Is it done in a swimming pool? | Does it happen in a pool?
sword | Does it use swords? | Do they fight with swords?
punch | Do athletes punch? | Is punching allowed? | Do they hit each other with their fists?
mat | Is it done on a mat? | Does it take place on mats?
""", rules="""
racket -> individual
hoop -> ball
puck -> ice
skis -> snow_sport
boat -> water
sea_sport -> water outdoors
swimming_pool -> water
shuttlecock -> racket net_over
""", entities="""
soccer | football, association football | ball team kick goal grass outdoors olympic eleven_players big_ball country_uk
basketball | hoops | hoop team throw court indoors olympic big_ball country_usa
tennis | lawn tennis | ball racket net_over court outdoors olympic doubles country_uk
baseball | | ball team bat_club throw grass outdoors olympic helmet country_usa
american football | gridiron, gridiron football, nfl | ball team kick throw contact helmet grass outdoors eleven_players big_ball country_usa
rugby | rugby union, rugby league | ball team kick throw contact grass outdoors olympic big_ball country_uk
cricket | | ball team bat_club throw grass outdoors olympic helmet eleven_players country_uk
golf | | ball bat_club individual target grass outdoors olympic country_uk
ice hockey | hockey | team bat_club puck skates contact helmet goal indoors winter_olympics country_canada
field hockey | | ball team bat_club goal grass outdoors olympic eleven_players country_uk
volleyball | beach volleyball | ball team net_over court indoors olympic big_ball country_usa
table tennis | ping pong, ping-pong | ball racket net_over indoors olympic doubles country_uk
badminton | | shuttlecock court indoors olympic doubles country_uk
squash | | ball racket court indoors olympic country_uk
handball | team handball | ball team throw goal court indoors olympic big_ball
water polo | | ball team throw goal swimming_pool olympic big_ball
lacrosse | | ball team bat_club throw goal contact helmet grass outdoors olympic country_canada
polo | | ball team bat_club horse_used grass outdoors helmet
swimming | | swimming_pool race individual olympic
diving | springboard diving, high diving | swimming_pool judged individual olympic
rowing | crew | boat race team outdoors olympic
sailing | yachting | boat race sea_sport olympic
surfing | | board_used sea_sport judged individual olympic
skiing | alpine skiing, downhill skiing | skis race individual outdoors winter_olympics mountain helmet
snowboarding | | board_used snow_sport judged individual outdoors winter_olympics mountain helmet country_usa
figure skating | ice skating | ice skates judged individual indoors winter_olympics
curling | | ice team target indoors winter_olympics country_uk
boxing | | punch combat contact individual indoors olympic
wrestling | | mat combat contact individual indoors olympic
judo | | mat combat contact individual indoors olympic country_japan
karate | | punch mat combat contact individual indoors country_japan
fencing | | combat sword individual indoors olympic
gymnastics | | mat judged individual indoors olympic
archery | | target individual outdoors olympic
bowling | tenpin bowling, ten-pin bowling, ten pin bowling | ball big_ball target individual indoors
darts | | target throw individual indoors country_uk
billiards | pool, snooker, eight ball | ball bat_club target individual indoors
cycling | bike racing, road cycling | bicycle_used race individual outdoors olympic helmet
marathon | running, long-distance running, marathon running, jogging | race individual outdoors olympic
horse racing | | horse_used race individual outdoors helmet
formula one | f1, formula 1, motor racing, car racing, grand prix racing | motor race individual outdoors helmet
skateboarding | | board_used judged individual outdoors olympic country_usa
rock climbing | climbing, bouldering, sport climbing | individual olympic mountain
weightlifting | weight lifting | individual indoors olympic
""")


# =============================================================================== professions
category("professions", "professions", "profession", attributes="""
uniform | Do they wear a uniform? | Does this job have a uniform?
work_outdoors | Do they work outdoors? | Is the job mostly outside? | Do they work outside?
hands | Is it a manual job? | Do they work with their hands? | Is it physical work?
degree | Does it require a university degree? | Do they need to go to university? | Does it need a college degree?
medical | Is it a medical job? | Do they work in healthcare? | Do they treat sick people or sick animals? | Do they work in a hospital? | Do they help sick people?
animals_work | Do they work with animals?
children_work | Do they work with children? | Do they work with kids?
food_work | Do they work with food? | Do they handle food?
drives | Do they drive a vehicle for work? | Do they drive for a living? | Do they drive?
computer_work | Do they work mostly on a computer? | Do they use a computer all day?
creative | Is it a creative job? | Is it an artistic job? | Are they artists?
performs | Do they perform in front of audiences? | Are they performers? | Do they entertain people?
law | Do they work in law? | Is it a legal job? | Do they work in a court?
government | Do they usually work for the government? | Is it a public service job? | Are they civil servants?
emergency_work | Do they respond to emergencies? | Are they emergency workers? | Are they first responders?
dangerous_job | Is it a dangerous job? | Is the job risky? | Could they get hurt at work?
night_work | Do they often work at night? | Do they work night shifts?
travel_work | Do they travel a lot for work? | Does the job involve lots of travel?
flying_work | Do they work in the air? | Do they fly for work? | Do they work on planes?
water_work | Do they work on or near water? | Do they work at sea? | Do they work in water?
sells | Do they sell things? | Do they work in a shop? | Do they sell products?
customers | Do they serve customers? | Do they deal with the public? | Do they have clients?
office_work | Do they work in an office? | Is it an office job? | Do they sit at a desk?
builds | Do they build or repair things? | Do they fix things? | Do they build things?
tools_work | Do they use tools? | Do they use hand tools?
weapon | Do they carry a weapon? | Do they carry a gun? | Are they armed?
wears_helmet | Do they wear a helmet? | Do they wear a hard hat?
white_coat | Do they wear a white coat? | Do they wear a lab coat?
teaches | Do they teach? | Do they teach people? | Is teaching part of the job?
writes | Do they write for a living? | Is writing their main job? | Do they write?
cooks | Do they cook? | Do they cook food? | Do they bake?
cuts_hair | Do they cut hair?
money | Do they work with money? | Do they handle money? | Is it about finance?
science | Is it a science job? | Are they scientists? | Do they do research?
sport_work | Is it related to sport? | Are they athletes? | Do they play sports?
music_work | Is it related to music? | Do they make music? | Do they sing or play music?
farm_work | Do they work on a farm? | Do they grow crops or raise animals? | Do they grow food?
plants_work | Do they work with plants? | Do they grow plants?
helps_safety | Do they keep people safe? | Do they protect people?
crime | Do they deal with crime? | Do they catch criminals? | Do they fight crime?
electricity_work | Do they work with electricity? | Do they work with electrical wiring?
vehicles_work | Do they work with cars or vehicles? | Do they work with cars?
works_wood | Do they work with wood?
underground_work | Do they work underground?
shaves | Do they shave people? | Do they trim beards?
sews | Do they sew? | Do they make clothes? | Do they use a needle and thread?
books | Do they work with books? | Do they look after books?
cleaning_work | Do they clean for a living? | Is cleaning their job? | Do they clean buildings?
religion | Is it a religious job? | Do they work in a church?
space_work | Do they go to space? | Do they work in space?
""", rules="""
medical -> degree
""", entities="""
doctor | physician, gp, general practitioner, medic | medical white_coat night_work
nurse | registered nurse | medical uniform night_work
surgeon | | medical uniform hands tools_work night_work
dentist | | medical hands tools_work white_coat
veterinarian | vet, animal doctor, veterinary surgeon | medical animals_work tools_work
pharmacist | chemist, druggist | medical white_coat sells customers
paramedic | emt, ambulance driver, ambulance worker | medical uniform emergency_work helps_safety drives night_work -degree
teacher | schoolteacher, school teacher, schoolmaster | teaches children_work degree
professor | lecturer, university professor, academic | teaches degree science office_work
police officer | policeman, policewoman, cop, police, police constable | uniform weapon crime helps_safety emergency_work dangerous_job night_work drives government work_outdoors
detective | private investigator, private detective, inspector, private eye | crime helps_safety
firefighter | fireman, firewoman, fire fighter | uniform wears_helmet emergency_work helps_safety dangerous_job night_work government drives tools_work work_outdoors
soldier | army officer, infantryman, marine, serviceman, servicewoman | uniform weapon wears_helmet dangerous_job government helps_safety work_outdoors travel_work
security guard | bouncer, guard, security officer | uniform helps_safety crime night_work
lifeguard | life guard | helps_safety emergency_work water_work work_outdoors
lawyer | attorney, solicitor, barrister, advocate | law degree office_work customers
judge | magistrate, justice | law degree crime government
accountant | bookkeeper, auditor | money office_work computer_work degree customers
banker | bank manager, investment banker | money office_work computer_work degree
programmer | software developer, software engineer, coder, developer, computer programmer | computer_work office_work
scientist | researcher, biologist, physicist | science degree white_coat
engineer | | degree builds office_work computer_work science
architect | | degree creative office_work computer_work
journalist | reporter, news reporter | writes travel_work computer_work office_work degree
writer | author, novelist, poet | writes creative books computer_work
photographer | | creative customers travel_work
actor | actress, film star, movie star | performs creative night_work travel_work
musician | singer, band member, rock star, pop star | performs creative music_work night_work travel_work
painter | artist, painter artist | creative hands tools_work
dancer | ballerina, ballet dancer | performs creative music_work
athlete | sportsman, sportswoman, sports player, sportsperson | sport_work performs travel_work uniform
chef | head chef, sous chef | food_work cooks uniform night_work hands
baker | | food_work cooks hands sells customers night_work
butcher | | food_work sells hands tools_work customers
waiter | waitress, server | food_work customers uniform night_work
cashier | checkout operator, till operator, shop assistant, sales assistant | sells customers money uniform
farmer | rancher | farm_work animals_work plants_work food_work work_outdoors drives hands tools_work
gardener | landscaper | plants_work work_outdoors hands tools_work
fisherman | fisher, fisherwoman | water_work work_outdoors food_work animals_work dangerous_job hands
carpenter | joiner, woodworker | builds hands tools_work works_wood
plumber | | builds hands tools_work customers
electrician | | builds hands tools_work customers electricity_work
mechanic | car mechanic, auto mechanic | builds hands tools_work customers vehicles_work
construction worker | builder, labourer, laborer, bricklayer | builds hands tools_work wears_helmet work_outdoors dangerous_job
miner | coal miner | hands tools_work wears_helmet dangerous_job underground_work
pilot | airline pilot, aviator | flying_work travel_work uniform night_work vehicles_work
flight attendant | stewardess, steward, air hostess, cabin crew | flying_work travel_work uniform customers night_work
astronaut | cosmonaut, spaceman | flying_work space_work science degree dangerous_job wears_helmet government travel_work
taxi driver | cab driver, cabbie, cabby, uber driver | drives customers money night_work vehicles_work
bus driver | | drives customers uniform vehicles_work
truck driver | trucker, lorry driver | drives travel_work night_work vehicles_work
mail carrier | postman, postwoman, mailman, postal worker, letter carrier | uniform work_outdoors government
hairdresser | hair stylist, hairstylist | cuts_hair customers hands tools_work creative
barber | | cuts_hair shaves customers hands tools_work
tailor | seamstress, dressmaker | sews hands tools_work customers creative
librarian | | books degree
zookeeper | zoo keeper | animals_work work_outdoors
cleaner | janitor, custodian, housekeeper, cleaning lady | cleaning_work hands night_work
politician | president, prime minister, senator, member of parliament | government law travel_work office_work
priest | pastor, vicar, clergyman, clergy | religion
""")


# =============================================================================== famous landmarks
category("landmarks", "famous landmarks", "famous landmark", attributes="""
man_made alive metal stone glass red white green colorful
country_usa country_uk country_france country_italy country_spain country_germany country_greece country_russia
country_turkey country_china country_japan country_india country_mexico country_canada country_brazil country_peru
country_chile country_egypt country_australia country_jordan country_cambodia country_uae country_nepal
country_tanzania country_zambia
africa asia europe north_america south_america oceania
building | Is it a building? | Does it have walls and a roof?
tower | Is it a tower?
oceania | Is it in Oceania? | Is it in Australia or Oceania? | Is it in the Pacific?
skyscraper | Is it a skyscraper?
bridge | Is it a bridge?
statue | Is it a statue? | Is it a sculpture? | Is it a monument of a person?
religious | Is it a religious site? | Is it a place of worship? | Is it a church, temple or mosque? | Is it sacred?
palace_castle | Is it a palace or castle? | Is it a palace? | Is it a castle? | Did royalty live there?
residence | Does someone live there? | Is it someone's home? | Is it a residence?
tomb | Is it a tomb? | Is someone buried there? | Is it a grave?
museum | Is it a museum? | Does it house famous art?
is_mountain | Is it a mountain? | Is it a peak?
volcano | Is it a volcano?
in_mountains | Is it in the mountains? | Is it on a mountain? | Is it on a hill?
waterfall | Is it a waterfall? | Is it falls?
ancient | Is it more than 1000 years old? | Is it ancient? | Was it built in ancient times?
modern | Was it built after 1900? | Is it modern? | Was it built in the 20th century or later?
tall | Is it taller than 100 metres? | Is it very tall? | Is it over 100 meters high?
clock | Does it have a clock?
visit_inside | Can visitors go inside it? | Can you go inside? | Can you enter it?
wonder | Is it one of the Seven Wonders of the World? | Is it a wonder of the world?
in_capital | Is it in a capital city? | Is it in the capital?
in_city | Is it in a city? | Is it in a big city? | Is it urban?
ruins | Is it a ruin? | Is it in ruins? | Is it an archaeological site?
government_seat | Is it a seat of government? | Do politicians work there? | Is it a government building?
arch_gate | Is it an arch or gate? | Is it a gate? | Is it an arch?
pyramid_shape | Is it pyramid-shaped? | Is it shaped like a pyramid? | Is it a kind of pyramid?
dome | Does it have a dome? | Does it have domes?
leaning | Does it lean? | Is it tilted? | Is it leaning?
city_paris | Is it in Paris?
city_london | Is it in London?
city_rome | Is it in Rome?
city_new_york | Is it in New York? | Is it in New York City?
city_moscow | Is it in Moscow?
city_beijing | Is it in Beijing?
city_washington | Is it in Washington? | Is it in Washington DC?
city_san_francisco | Is it in San Francisco?
""", rules="""
skyscraper -> building tall modern
is_mountain -> tall
""", entities="""
eiffel tower | eiffel, la tour eiffel, the eiffel tower | man_made tower metal tall visit_inside in_city in_capital europe country_france city_paris
statue of liberty | lady liberty, liberty statue | man_made statue metal green visit_inside in_city north_america country_usa city_new_york
great wall of china | great wall, the great wall | man_made stone ancient wonder in_mountains asia country_china
taj mahal | taj, the taj mahal | man_made building tomb dome stone white visit_inside wonder in_city asia country_india
pyramids of giza | great pyramid, great pyramid of giza, pyramids, egyptian pyramids, giza pyramids, pyramid of giza | man_made tomb pyramid_shape stone ancient wonder tall visit_inside in_city africa country_egypt
colosseum | coliseum, flavian amphitheatre, roman colosseum | man_made building stone ancient ruins wonder visit_inside in_city in_capital europe country_italy city_rome
big ben | elizabeth tower, houses of parliament, palace of westminster | man_made tower building clock stone government_seat in_city in_capital europe country_uk city_london
leaning tower of pisa | tower of pisa, pisa tower, leaning tower | man_made tower building leaning religious stone white visit_inside in_city europe country_italy
sydney opera house | opera house | man_made building white modern visit_inside in_city oceania country_australia
machu picchu | | man_made stone ruins wonder in_mountains south_america country_peru
christ the redeemer | cristo redentor, christ statue, statue of christ | man_made statue religious white modern wonder in_mountains in_city south_america country_brazil
stonehenge | | man_made stone ancient ruins europe country_uk
golden gate bridge | golden gate | man_made bridge metal red modern tall in_city north_america country_usa city_san_francisco
mount rushmore | rushmore, mount rushmore national memorial | man_made statue stone modern in_mountains north_america country_usa
burj khalifa | burj, burj dubai | man_made skyscraper glass metal visit_inside in_city asia country_uae
empire state building | empire state | man_made skyscraper visit_inside in_city north_america country_usa city_new_york
parthenon | acropolis, acropolis of athens | man_made building religious stone white ancient ruins in_city in_capital europe country_greece
petra | al-khazneh, rose city | man_made stone tomb ancient ruins wonder asia country_jordan
angkor wat | angkor | man_made building religious stone visit_inside asia country_cambodia
grand canyon | | north_america country_usa
niagara falls | niagara | waterfall north_america country_usa country_canada
mount everest | everest | is_mountain asia country_nepal country_china
mount fuji | fuji, fujisan, fuji-san | is_mountain volcano asia country_japan
great barrier reef | barrier reef | alive colorful oceania country_australia
sagrada familia | la sagrada familia, sagrada | man_made building religious stone tall visit_inside in_city europe country_spain
st basil's cathedral | saint basil's cathedral, st basil's, st basils cathedral, saint basil's | man_made building religious dome colorful visit_inside in_city in_capital europe country_russia city_moscow
buckingham palace | buckingham | man_made building palace_castle residence visit_inside in_city in_capital europe country_uk city_london
tower bridge | | man_made bridge metal stone visit_inside in_city in_capital europe country_uk city_london
tower of london | the tower of london | man_made building palace_castle stone visit_inside in_city in_capital europe country_uk city_london
brandenburg gate | brandenburger tor | man_made arch_gate stone in_city in_capital europe country_germany
arc de triomphe | arc de triomphe de l'etoile, triumphal arch | man_made arch_gate stone visit_inside in_city in_capital europe country_france city_paris
louvre | louvre museum, musee du louvre, the louvre | man_made building museum palace_castle glass visit_inside in_city in_capital europe country_france city_paris
notre-dame de paris | notre dame, notre-dame, notre dame cathedral, notre dame de paris | man_made building religious stone visit_inside in_city in_capital europe country_france city_paris
forbidden city | palace museum, the forbidden city | man_made building palace_castle museum red visit_inside in_city in_capital asia country_china city_beijing
chichen itza | chichen-itza, el castillo, temple of kukulcan | man_made pyramid_shape stone religious ancient ruins wonder north_america country_mexico
neuschwanstein castle | neuschwanstein | man_made building palace_castle white visit_inside in_mountains europe country_germany
cn tower | c n tower, toronto tower | man_made tower tall modern visit_inside in_city north_america country_canada
space needle | | man_made tower metal tall modern visit_inside in_city north_america country_usa
hagia sophia | aya sofya, ayasofya, hagia sophia mosque, haghia sophia | man_made building religious dome ancient visit_inside in_city europe country_turkey
white house | the white house | man_made building residence government_seat white visit_inside in_city in_capital north_america country_usa city_washington
alhambra | the alhambra | man_made building palace_castle visit_inside in_city europe country_spain
moai | easter island statues, easter island heads, moai statues | man_made statue stone oceania country_chile
uluru | ayers rock | red religious tall oceania country_australia
victoria falls | mosi-oa-tunya | waterfall tall africa country_zambia
mount kilimanjaro | kilimanjaro | is_mountain volcano africa country_tanzania
hollywood sign | | man_made metal white modern in_mountains in_city north_america country_usa
kremlin | moscow kremlin, the kremlin | man_made building palace_castle government_seat red visit_inside in_city in_capital europe country_russia city_moscow
""", prefer="Is it in ")


# =============================================================================== foods and dishes
category("foods", "foods and dishes", "food or dish", attributes="""
edible sweet spicy round flat
country_usa country_uk country_france country_italy country_spain country_germany country_turkey country_china
country_japan country_india country_thailand country_mexico country_lebanon country_belgium
savory | Is it savoury? | Is it savory? | Is it salty?
served_hot | Is it served hot? | Is it eaten hot? | Is it a hot dish? | Is it warm?
served_cold | Is it served cold? | Is it eaten cold? | Is it a cold dish?
meat | Does it contain meat? | Is there meat in it? | Is it made with meat?
chicken_meat | Is it made with chicken? | Does it contain chicken?
beef | Is it made with beef? | Does it contain beef?
pork | Is it made with pork? | Does it contain pork? | Does it contain ham?
seafood | Does it contain fish or seafood? | Is it made with fish? | Is it seafood? | Does it contain fish?
vegetarian_food | Is it vegetarian? | Is it meat-free? | Can vegetarians eat it?
dairy | Does it contain dairy? | Does it contain milk? | Is it made with milk? | Does it contain butter or cream?
cheese | Does it contain cheese? | Is there cheese in it? | Is it cheesy? | Is it made of cheese?
egg | Does it contain eggs? | Is it made with eggs? | Is it made of egg?
dough | Is it made with bread or dough? | Is it made from flour? | Is it bread-based? | Does it contain wheat? | Does it contain gluten?
rice | Is it made with rice? | Does it contain rice? | Is it a rice dish?
noodles | Is it a pasta or noodle dish? | Is it pasta? | Is it made with noodles? | Does it contain pasta?
fried | Is it fried? | Is it deep-fried? | Is it cooked in oil?
baked | Is it baked? | Is it cooked in an oven?
grilled | Is it grilled? | Is it cooked on a grill? | Is it barbecued?
raw_food | Is it eaten raw? | Is it uncooked? | Does it contain raw ingredients?
hands_eaten | Do you eat it with your hands? | Is it finger food? | Do you hold it in your hands to eat it?
chopsticks | Do you eat it with chopsticks?
spoon_eaten | Do you eat it with a spoon?
breakfast | Is it a breakfast food? | Is it eaten for breakfast?
dessert | Is it a dessert? | Is it eaten after dinner? | Is it a sweet treat?
snack | Is it a snack? | Is it eaten between meals?
fast_food | Is it fast food? | Is it junk food? | Do fast food restaurants sell it?
sandwich_like | Is it a kind of sandwich? | Is it served in a bun? | Is it served between bread?
soup_like | Is it a soup? | Is it liquid? | Is it a stew?
chocolate | Does it contain chocolate? | Is it made of chocolate? | Is it chocolatey?
fruit_in | Does it contain fruit? | Is it made with fruit?
tomato | Does it contain tomato? | Is it made with tomato sauce? | Does it have tomato sauce?
potato | Is it made from potatoes? | Does it contain potatoes?
vegetables_in | Does it contain vegetables? | Is it full of vegetables? | Is it made of vegetables?
frozen | Is it frozen? | Is it served frozen? | Is it icy?
bowl | Is it served in a bowl? | Do you eat it from a bowl?
wrapped | Is it wrapped? | Is the filling wrapped in something? | Is it rolled up?
baked_good | Is it a baked good? | Is it sold in a bakery? | Is it a pastry? | Is it from a bakery?
sauce | Is it a sauce, dip or spread? | Is it a dip? | Is it a spread? | Do you spread it on bread?
layers | Does it have layers? | Is it layered?
birthday | Is it eaten at birthday parties? | Is it served at birthdays?
healthy | Is it healthy? | Is it good for you? | Is it nutritious?
""", rules="""
* -> edible
chicken_meat -> meat
beef -> meat
pork -> meat
baked_good -> baked dough
""", entities="""
pizza | pizza pie, margherita pizza, pepperoni pizza | dough cheese dairy tomato baked savory served_hot hands_eaten fast_food flat round country_italy
hamburger | burger, cheeseburger, beefburger | beef dough sandwich_like grilled savory served_hot hands_eaten fast_food round country_usa
hot dog | hotdog, frankfurter, wiener | meat dough sandwich_like grilled savory served_hot hands_eaten fast_food country_usa
sandwich | sub, sandwiches, club sandwich | dough sandwich_like savory served_cold hands_eaten country_uk
french fries | fries, french fry, pommes frites, freedom fries | potato fried savory served_hot hands_eaten fast_food vegetarian_food snack country_belgium country_france
fried chicken | southern fried chicken, chicken wings, fried chicken wings | chicken_meat fried savory served_hot hands_eaten fast_food country_usa
steak | beef steak, beefsteak, sirloin, ribeye | beef grilled savory served_hot
sushi | sashimi, maki, nigiri, sushi roll | seafood rice raw_food wrapped savory served_cold chopsticks hands_eaten country_japan healthy
ramen | ramen noodles, ramen soup | noodles soup_like pork egg savory served_hot chopsticks bowl country_japan
dumplings | dumpling, gyoza, potstickers, jiaozi, dim sum | pork dough wrapped savory served_hot chopsticks country_china
fried rice | egg fried rice | rice egg fried vegetables_in savory served_hot chopsticks bowl country_china
spring rolls | spring roll, egg roll, egg rolls | vegetables_in fried wrapped savory served_hot hands_eaten snack country_china
curry | chicken curry, curry and rice, chicken tikka masala | spicy savory served_hot bowl country_india chicken_meat
pad thai | phad thai | noodles egg fried savory served_hot country_thailand
tacos | taco | meat dough savory served_hot hands_eaten country_mexico
burrito | burritos | meat dough rice wrapped savory served_hot hands_eaten country_mexico
nachos | | cheese dairy fried savory served_hot hands_eaten snack country_mexico vegetarian_food
spaghetti | spaghetti with tomato sauce, spaghetti pomodoro | noodles dough tomato savory served_hot vegetarian_food country_italy
lasagna | lasagne | noodles dough cheese dairy tomato beef baked layers savory served_hot country_italy
mac and cheese | macaroni and cheese, macaroni cheese, mac n cheese, mac & cheese | noodles dough cheese dairy baked vegetarian_food savory served_hot country_usa
paella | | rice seafood savory served_hot country_spain
fish and chips | fish n chips, fish & chips | seafood potato fried savory served_hot country_uk
omelette | omelet | egg breakfast vegetarian_food savory served_hot flat country_france
scrambled eggs | scrambled egg | egg dairy breakfast vegetarian_food savory served_hot
pancakes | pancake, crepes, crepe, hotcakes | dough egg dairy breakfast sweet vegetarian_food served_hot flat round
waffles | waffle, belgian waffle | dough egg dairy breakfast sweet vegetarian_food served_hot country_belgium
cereal | breakfast cereal, cornflakes, corn flakes, muesli | breakfast bowl spoon_eaten dairy sweet vegetarian_food served_cold
bread | loaf, loaf of bread, baguette, toast, sliced bread | baked_good vegetarian_food savory
croissant | croissants | baked_good dairy breakfast vegetarian_food country_france
bagel | bagels | baked_good breakfast round vegetarian_food savory
pretzel | pretzels | baked_good snack hands_eaten savory vegetarian_food country_germany
donut | doughnut, doughnuts, donuts | dough fried sweet snack dessert hands_eaten round vegetarian_food
cake | birthday cake, sponge cake, chocolate cake | baked_good egg dairy sweet dessert layers vegetarian_food birthday
cookie | biscuit, cookies, chocolate chip cookie, biscuits | baked_good sweet snack dessert hands_eaten round flat vegetarian_food
ice cream | gelato, ice-cream, icecream | dairy sweet dessert frozen served_cold spoon_eaten vegetarian_food birthday
chocolate bar | chocolate, candy bar, bar of chocolate, chocolate candy | chocolate dairy sweet snack dessert hands_eaten vegetarian_food flat
apple pie | | fruit_in baked_good sweet dessert round vegetarian_food
cheesecake | cheese cake | cheese dairy egg baked sweet dessert round served_cold vegetarian_food
yogurt | yoghurt, yogurt pot | dairy spoon_eaten breakfast snack served_cold vegetarian_food healthy
popcorn | pop corn | snack hands_eaten vegetarian_food
hummus | houmous, hummous, humus | sauce vegetarian_food savory served_cold country_lebanon healthy
falafel | felafel | fried vegetarian_food savory served_hot hands_eaten round country_lebanon
kebab | kebap, doner kebab, shish kebab, kabob, doner | meat grilled savory served_hot hands_eaten fast_food country_turkey
tomato soup | cream of tomato soup | tomato soup_like vegetarian_food savory served_hot spoon_eaten bowl healthy
salad | green salad, garden salad, side salad | vegetables_in raw_food vegetarian_food served_cold bowl healthy
mashed potatoes | mashed potato, mash, potato puree | potato dairy vegetarian_food savory served_hot
potato chips | crisps, potato crisps | potato fried snack hands_eaten savory vegetarian_food flat
peanut butter | | sauce vegetarian_food savory country_usa
""")


# =============================================================================== clothing
category("clothing", "clothing", "item of clothing", attributes="""
man_made buttons leather wool cotton fabric plastic blue
indoors = Is it worn indoors?
kitchen = Is it worn in the kitchen?
country_japan country_india country_uk country_usa
head | Is it worn on the head? | Do you wear it on your head? | Is it headwear?
feet | Is it worn on the feet? | Do you wear it on your feet? | Is it footwear?
hands_worn | Is it worn on the hands? | Do you wear it on your hands?
neck | Is it worn around the neck? | Do you wear it around your neck?
upper_body | Is it worn on the upper body? | Does it cover your chest? | Is it a top?
legs_worn | Is it worn on the legs? | Does it cover your legs? | Is it worn on the lower body?
whole_body | Does it cover the whole body? | Does it cover both the top and the legs? | Does it cover the torso and legs?
outerwear | Is it worn over other clothes? | Is it outerwear? | Do you wear it outside over your clothes?
underwear | Is it worn under other clothes? | Is it a kind of underwear? | Is it an undergarment?
formal | Is it formal? | Is it worn on formal occasions? | Would you wear it to a wedding?
casual | Is it casual? | Is it everyday wear?
warm | Does it keep you warm? | Is it worn in cold weather? | Is it for winter?
summer | Is it worn in summer? | Is it for hot weather?
waterproof | Is it waterproof? | Is it worn in the rain?
sports_wear | Is it worn for sport? | Is it sportswear? | Do athletes wear it?
sleep_wear | Is it worn to bed? | Is it sleepwear? | Do you sleep in it?
pairs | Does it come in pairs? | Do you wear two of them? | Is it a pair?
zipper | Does it have a zipper? | Does it have a zip?
laces | Does it have laces? | Do you tie it with laces? | Does it have shoelaces?
sleeves | Does it have sleeves?
pockets | Does it have pockets?
hood | Does it have a hood?
denim | Is it made of denim?
silk | Is it made of silk? | Is it silky?
women | Is it mainly worn by women? | Is it mostly for women? | Is it women's clothing?
men | Is it mainly worn by men? | Is it mostly for men? | Is it men's clothing?
traditional | Is it traditional clothing? | Is it traditional dress from a particular country?
accessory | Is it an accessory? | Is it a fashion accessory?
tied | Do you tie it? | Is it tied?
high_heel | Does it have a high heel? | Does it have high heels? | Does it make you taller?
swimwear | Is it worn for swimming? | Is it swimwear? | Do you wear it to the beach?
uniform_work | Is it worn for work? | Is it workwear?
""", rules="""
* -> man_made
denim -> cotton fabric
silk -> fabric
wool -> fabric
cotton -> fabric
""", entities="""
t-shirt | tshirt, t shirt, tee, tee shirt | upper_body casual summer cotton sleeves
shirt | dress shirt, button-up shirt, button-down shirt | upper_body buttons sleeves cotton formal
blouse | | upper_body women buttons sleeves fabric
jeans | blue jeans, denims | legs_worn casual denim pockets zipper buttons blue country_usa
trousers | pants, slacks | legs_worn pockets zipper buttons fabric
shorts | short pants | legs_worn casual summer fabric pockets
skirt | miniskirt | legs_worn women fabric
dress | gown, frock | whole_body women fabric
suit | business suit | upper_body legs_worn formal buttons pockets sleeves fabric uniform_work
tuxedo | tux, dinner jacket | upper_body legs_worn formal men buttons pockets sleeves fabric
tie | necktie | neck formal men tied accessory silk
bow tie | bowtie | neck formal men tied accessory fabric
sweater | jumper, pullover | upper_body warm wool sleeves casual
cardigan | | upper_body warm wool sleeves buttons casual
hoodie | hooded sweatshirt, hoody, hooded top | upper_body warm cotton sleeves hood pockets casual sports_wear
jacket | bomber jacket, denim jacket, leather jacket | upper_body outerwear zipper sleeves pockets warm fabric
coat | overcoat, winter coat, trench coat | upper_body outerwear warm buttons sleeves pockets wool
raincoat | rain jacket, anorak, waterproof jacket, mackintosh | upper_body outerwear waterproof hood sleeves plastic
waistcoat | vest, gilet | upper_body buttons formal fabric
scarf | | neck warm wool accessory
gloves | glove | hands_worn warm pairs fabric
mittens | mitten, mitts | hands_worn warm pairs wool
hat | sun hat, fedora, top hat, bowler hat | head accessory fabric
baseball cap | cap, ball cap, peaked cap | head casual sports_wear summer cotton accessory country_usa
beanie | woolly hat, knit hat, bobble hat, toque, wool hat | head warm wool casual
socks | sock | feet pairs cotton
sneakers | trainers, running shoes, tennis shoes, gym shoes, shoes | feet pairs laces sports_wear casual fabric
boots | boot, wellies, wellington boots, cowboy boots, ankle boots | feet pairs leather warm
sandals | sandal | feet pairs summer casual leather
flip-flops | flip flops, flipflops, thongs, jandals | feet pairs summer casual plastic
high heels | heels, stilettos, pumps, high-heeled shoes | feet pairs women formal high_heel leather
slippers | slipper | feet pairs warm indoors fabric
pajamas | pyjamas, pjs, nightwear | sleep_wear upper_body legs_worn sleeves buttons cotton indoors
nightgown | nightdress, nightie | sleep_wear whole_body women fabric indoors
bathrobe | robe, dressing gown | whole_body sleeves pockets tied warm cotton indoors
swimsuit | swimming costume, bathing suit, one-piece swimsuit | swimwear summer women sports_wear fabric
bikini | two-piece swimsuit | swimwear summer women fabric
swim trunks | swimming trunks, board shorts, swim shorts | swimwear summer men legs_worn fabric
underwear | underpants, briefs, boxers, knickers, panties | underwear cotton
bra | brassiere | underwear women upper_body fabric
belt | | accessory leather
apron | pinafore | uniform_work tied pockets kitchen fabric
kimono | yukata | traditional whole_body sleeves tied silk country_japan
sari | saree | traditional whole_body women silk country_india
kilt | | traditional legs_worn men wool country_uk
overalls | dungarees, bib overalls | whole_body legs_worn denim pockets buttons uniform_work
leggings | yoga pants | legs_worn women sports_wear casual fabric
""")


# =============================================================================== tools
category("tools", "tools", "tool", attributes="""
man_made metal wood plastic paper hold_in_hand heavy bigger_than_breadbox electric battery sharp moving_parts wheels
garden water hot loud handle fuel construction flame
power_tool | Is it a power tool? | Is it an electric or motorised tool? | Does it need power?
hand_tool | Is it a hand tool? | Is it worked by hand?
cutting | Is it used for cutting? | Does it cut things? | Can you cut with it?
blade | Does it have a blade?
teeth | Does it have teeth? | Is it serrated? | Does it have prongs or tines?
long_handle | Does it have a long handle? | Do you hold it with both hands?
two_handles | Does it have two handles? | Do you squeeze its handles together?
measuring | Is it used for measuring? | Does it measure things?
digging | Is it used for digging? | Do you dig with it?
striking | Do you hit things with it? | Is it used for hitting? | Is it used for hammering? | Do you swing it?
screws | Is it used with screws or bolts? | Does it turn screws? | Is it used to tighten things?
grips | Does it grip or hold things? | Is it used for gripping? | Does it clamp things?
painting | Is it used for painting? | Do you paint with it?
woodworking | Is it used for woodworking? | Does a carpenter use it? | Is it a carpentry tool?
climbing | Do you climb it? | Is it used to reach high places? | Do you stand on it?
carries | Is it used to carry things? | Can you carry things in it?
sewing | Is it used for sewing?
smooth | Is it used to smooth surfaces? | Is it used for sanding? | Does it make things smooth?
folds | Does it fold? | Can you fold it? | Is it folding?
lever | Is it used as a lever? | Is it used to pry things open?
""", rules="""
* -> man_made
power_tool -> electric
""", entities="""
hammer | claw hammer | hand_tool striking handle metal hold_in_hand woodworking construction
screwdriver | screw driver | hand_tool screws handle metal hold_in_hand
wrench | spanner, adjustable wrench, monkey wrench | hand_tool screws grips metal hold_in_hand
pliers | pair of pliers | hand_tool grips two_handles moving_parts metal hold_in_hand
hand saw | saw, handsaw | hand_tool cutting blade teeth sharp handle metal woodworking
power drill | drill, electric drill, cordless drill | power_tool battery screws moving_parts handle loud hold_in_hand woodworking construction
axe | ax, hatchet | hand_tool cutting blade sharp striking long_handle handle metal wood woodworking
shovel | spade | hand_tool digging long_handle handle metal garden construction
rake | garden rake | hand_tool teeth long_handle handle metal garden
hoe | garden hoe | hand_tool digging blade long_handle handle metal garden
pitchfork | garden fork, hayfork | hand_tool teeth digging sharp long_handle handle metal garden
trowel | garden trowel | hand_tool digging handle metal hold_in_hand garden construction
wheelbarrow | barrow | wheels carries two_handles moving_parts metal garden construction bigger_than_breadbox
ladder | stepladder, step ladder | climbing folds metal construction bigger_than_breadbox
tape measure | measuring tape, tape | measuring moving_parts metal hold_in_hand construction
spirit level | level, bubble level | measuring construction woodworking hold_in_hand
ruler | yardstick, meter stick, metre rule | measuring plastic wood hold_in_hand
chisel | wood chisel | hand_tool cutting blade sharp handle metal hold_in_hand woodworking
crowbar | pry bar, wrecking bar | hand_tool lever metal construction
sandpaper | glasspaper, emery paper, sand paper | smooth paper hold_in_hand woodworking
file | metal file, rasp | hand_tool smooth metal handle hold_in_hand
paintbrush | paint brush, brush | painting handle hold_in_hand
paint roller | roller | painting handle moving_parts hold_in_hand
scissors | pair of scissors | hand_tool cutting blade sharp two_handles moving_parts metal hold_in_hand sewing
pocket knife | penknife, swiss army knife, jackknife, folding knife, utility knife | hand_tool cutting blade sharp folds metal hold_in_hand
clamp | c-clamp, g-clamp | grips moving_parts metal hold_in_hand woodworking
vise | vice, bench vise | grips moving_parts metal heavy woodworking
chainsaw | chain saw | power_tool cutting teeth sharp fuel moving_parts loud handle -electric
lawn mower | lawnmower, mower, grass cutter | power_tool cutting blade fuel wheels moving_parts loud handle garden bigger_than_breadbox heavy
garden hose | hose, hosepipe | water garden plastic
watering can | watering pot | water garden carries handle plastic
pickaxe | pick, pick axe, mattock | hand_tool digging striking sharp long_handle handle metal construction
sledgehammer | sledge hammer | hand_tool striking long_handle handle metal heavy construction
glue gun | hot glue gun | power_tool hot handle plastic moving_parts hold_in_hand
soldering iron | solder iron | power_tool hot handle metal hold_in_hand
welding torch | blowtorch, blow torch, welder | power_tool hot fuel flame metal -electric
pruning shears | secateurs, garden shears, hedge shears, clippers | hand_tool cutting blade sharp two_handles moving_parts metal hold_in_hand garden
sewing needle | needle | hand_tool sewing sharp metal hold_in_hand
allen key | hex key, allen wrench | hand_tool screws metal hold_in_hand
""")


# =============================================================================== body parts
category("body_parts", "body parts", "part of the human body", attributes="""
soft
external | Can you see it from the outside? | Is it on the outside of the body? | Is it visible?
internal | Is it inside the body? | Is it an internal organ? | Is it internal?
organ | Is it an organ?
bone | Is it a bone? | Is it made of bone? | Is it part of the skeleton?
contains_bone | Does it have bones in it? | Does it contain bones?
joint | Is it a joint?
on_head | Is it on the head? | Is it part of the head? | Is it above the neck? | Is it in the head?
on_face | Is it on the face? | Is it part of the face?
arm_part | Is it part of the arm or hand? | Is it on the arm? | Is it part of the upper limb?
leg_part | Is it part of the leg or foot? | Is it on the leg? | Is it part of the lower limb?
torso | Is it in the torso? | Is it in the chest or belly? | Is it in the trunk of the body?
pair | Do you have two of them? | Does it come in a pair? | Are there two of them?
many | Do you have more than two of them? | Are there many of them? | Do you have lots of them?
only_one | Do you have only one of them? | Is there only one?
sight | Is it used for seeing? | Do you see with it?
hearing | Is it used for hearing? | Do you hear with it?
smell_sense | Is it used for smelling? | Do you smell with it?
taste | Is it used for tasting? | Do you taste with it?
touch | Is it used for touching or feeling? | Is it sensitive to touch?
sense_organ | Is it a sense organ? | Is it used for one of the five senses?
walking | Is it used for walking? | Do you walk with it? | Do you stand on it?
grabbing | Is it used for grabbing? | Can you hold things with it? | Do you use it to pick things up?
breathing | Is it used for breathing? | Do you breathe with it? | Does air go through it?
eating_body | Is it used for eating? | Is it part of the digestive system? | Does it help you digest food?
pumps_blood | Does it pump blood? | Is it part of the circulatory system?
thinking | Do you think with it? | Does it control the body? | Is it where thoughts happen?
filters | Does it filter blood? | Does it clean the blood? | Does it remove waste from the blood?
vital | Do you need it to stay alive? | Is it vital? | Is it essential for life?
grows_continuously | Does it keep growing? | Does it grow all your life? | Does it need cutting?
hard | Is it hard? | Is it hard to the touch?
moves_voluntarily | Can you move it at will? | Can you move it on purpose? | Can you control its movement?
nail_on | Does it have a nail? | Does it have a nail on it?
muscle | Is it a muscle? | Is it made of muscle?
mouth_part | Is it in the mouth? | Is it inside the mouth?
bigger_than_hand | Is it bigger than your hand? | Is it larger than a hand?
jewelry | Do people wear jewellery on it? | Do people wear rings or earrings on it? | Can you wear jewelry on it?
cartilage | Is it made of cartilage?
front_body | Is it on the front of the body? | Is it at the front of the body?
shoes | Do you wear shoes or socks on it? | Does it go inside a shoe?
fluid | Does it produce a fluid? | Does it make tears, saliva, sweat or another fluid?
""", rules="""
bone -> hard internal contains_bone
organ -> soft
""", entities="""
head | | external on_head contains_bone only_one bigger_than_hand vital moves_voluntarily
eye | eyes, eyeball, eyeballs | external on_head on_face pair sight sense_organ organ moves_voluntarily front_body fluid
ear | ears | external on_head pair hearing sense_organ organ cartilage jewelry
nose | | external on_head on_face only_one smell_sense sense_organ organ breathing cartilage jewelry front_body fluid
mouth | | external on_head on_face only_one eating_body breathing moves_voluntarily front_body fluid
lips | lip | external on_head on_face pair soft touch moves_voluntarily front_body
tongue | | on_head mouth_part only_one taste sense_organ organ muscle eating_body moves_voluntarily
tooth | teeth | on_head mouth_part many hard eating_body
hair | | external on_head many grows_continuously soft
eyebrow | eyebrows | external on_head on_face pair moves_voluntarily front_body
chin | | external on_head on_face only_one contains_bone front_body
cheek | cheeks | external on_head on_face pair contains_bone soft front_body
jaw | jawbone, mandible | bone on_head only_one joint eating_body moves_voluntarily
neck | | external only_one contains_bone moves_voluntarily jewelry
shoulder | shoulders | external pair joint contains_bone moves_voluntarily
arm | arms | external arm_part pair contains_bone moves_voluntarily bigger_than_hand
elbow | elbows | external arm_part pair joint contains_bone moves_voluntarily
wrist | wrists | external arm_part pair joint contains_bone moves_voluntarily jewelry
hand | hands | external arm_part pair contains_bone grabbing touch moves_voluntarily
finger | fingers | external arm_part many contains_bone nail_on grabbing touch moves_voluntarily jewelry
thumb | thumbs | external arm_part pair contains_bone nail_on grabbing moves_voluntarily
fingernail | nail, nails, fingernails | external arm_part many hard grows_continuously
chest | | external torso only_one contains_bone bigger_than_hand front_body
back | | external torso only_one contains_bone bigger_than_hand
belly button | navel, belly-button, tummy button | external torso only_one soft front_body
hip | hips | external pair joint contains_bone walking moves_voluntarily
leg | legs | external leg_part pair contains_bone walking moves_voluntarily bigger_than_hand
knee | knees | external leg_part pair joint contains_bone walking moves_voluntarily front_body
ankle | ankles | external leg_part pair joint contains_bone walking moves_voluntarily jewelry
foot | feet | external leg_part pair contains_bone walking moves_voluntarily bigger_than_hand shoes
toe | toes | external leg_part many contains_bone nail_on walking moves_voluntarily shoes
heel | heels | external leg_part pair contains_bone walking shoes
heart | | internal organ torso only_one pumps_blood vital muscle
lungs | lung | internal organ torso pair breathing vital bigger_than_hand
brain | | internal organ on_head only_one thinking vital bigger_than_hand
stomach | tummy | internal organ torso only_one eating_body fluid
liver | | internal organ torso only_one eating_body filters vital bigger_than_hand fluid
kidney | kidneys | internal organ torso pair filters vital fluid
intestines | intestine, bowel, bowels, gut, guts | internal organ torso eating_body bigger_than_hand
bladder | urinary bladder | internal organ torso only_one
skin | | external organ only_one touch sense_organ vital bigger_than_hand soft fluid
skull | cranium | bone on_head only_one bigger_than_hand
spine | backbone, spinal column, vertebrae, vertebral column | bone torso only_one bigger_than_hand
ribs | rib, rib cage, ribcage | bone torso many bigger_than_hand
""")


# =============================================================================== plants
category("plants", "plants", "plant", attributes="""
alive man_made edible tropical red yellow white purple pink green
tree | Is it a tree?
flower | Is it a flower? | Is it grown for its flowers? | Does it have showy flowers? | Is it a flowering plant?
shrub | Is it a shrub or bush? | Is it a bush? | Is it a shrub?
grass_family | Is it in the grass family? | Is it a type of grass? | Is it a kind of grass?
herb | Is it a herb? | Is it used to flavour food? | Is it a culinary herb?
succulent | Is it a succulent? | Does it store water in its leaves or trunk?
evergreen | Is it evergreen? | Does it keep its leaves in winter? | Does it stay green all year? | Does it stay green in winter?
deciduous | Does it lose its leaves in autumn? | Is it deciduous? | Does it lose its leaves in winter? | Does it drop its leaves?
conifer | Is it a conifer? | Does it have cones? | Does it have pine cones?
needles | Does it have needles? | Does it have needle-like leaves?
thorns | Does it have thorns or spines? | Is it prickly? | Does it have thorns? | Is it spiky?
fruit_bearing | Does it produce fruit people eat? | Does it grow fruit? | Does it bear fruit?
nuts | Does it produce nuts? | Does it grow nuts or acorns?
fragrant | Does it smell nice? | Is it fragrant? | Does it have a strong scent? | Does it smell?
grows_in_water | Does it grow in water? | Is it an aquatic plant? | Does it live in water?
grows_desert | Does it grow in the desert? | Is it a desert plant? | Does it grow in dry places?
medicinal | Is it used as medicine? | Does it have medicinal uses? | Is it used to heal?
poisonous | Is it poisonous? | Is it toxic? | Can it make you sick if you eat it?
carnivorous_plant | Does it eat insects? | Is it carnivorous? | Does it trap insects? | Does it eat meat?
climbing_plant | Does it climb? | Is it a vine? | Does it climb walls or trees? | Is it a creeper?
tall_plant | Does it grow taller than 10 metres? | Is it very tall? | Does it grow taller than a house?
tallest | Is it the tallest kind of tree? | Is it the tallest tree in the world? | Is it the tallest plant?
timber | Is its wood used for building or furniture? | Is it used for timber? | Is it used for lumber?
syrup | Is it used to make syrup? | Do we get syrup from it?
autumn_colors | Do its leaves turn red or yellow in autumn? | Does it have colourful autumn leaves?
national_symbol | Is it a national symbol? | Is it on a country's flag or emblem? | Is it a symbol of a country?
bulb | Does it grow from a bulb? | Is it a bulb plant?
houseplant | Is it a houseplant? | Is it grown indoors? | Is it kept in pots indoors?
crop | Is it a crop? | Is it farmed? | Is it grown on farms?
fiber | Is it used to make cloth or fibre? | Is it used for textiles? | Is it used to make fabric?
spores | Does it reproduce with spores? | Does it have spores? | Does it spread by spores?
seeds_eaten | Are its seeds eaten? | Do people eat its seeds?
weed | Is it a weed? | Is it considered a weed?
christmas | Is it used at Christmas? | Is it a Christmas decoration? | Is it associated with Christmas?
""", rules="""
conifer -> tree evergreen needles
tree -> tall_plant
""", entities="""
oak | oak tree | alive tree deciduous timber autumn_colors national_symbol nuts
pine | pine tree | alive conifer timber fragrant
maple | maple tree, sugar maple | alive tree deciduous timber autumn_colors national_symbol syrup
palm tree | palm, coconut palm, date palm | alive tree evergreen tropical fruit_bearing edible nuts
birch | birch tree, silver birch | alive tree deciduous timber autumn_colors white
willow | willow tree, weeping willow | alive tree deciduous timber medicinal
redwood | sequoia, giant sequoia, coast redwood | alive conifer timber tallest
baobab | baobab tree | alive tree deciduous succulent fruit_bearing edible national_symbol
fir | fir tree, christmas tree, spruce | alive conifer timber christmas fragrant
eucalyptus | gum tree, eucalyptus tree | alive tree evergreen medicinal fragrant timber
cherry blossom | sakura, japanese cherry, flowering cherry | alive tree deciduous flower pink national_symbol -tall_plant
bamboo | | alive grass_family evergreen tall_plant tropical edible timber fiber
cactus | cacti, saguaro | alive succulent thorns grows_desert houseplant
aloe vera | aloe | alive succulent thorns grows_desert medicinal houseplant
rose | roses | alive flower shrub thorns fragrant red pink national_symbol
tulip | tulips | alive flower bulb red national_symbol
sunflower | sunflowers | alive flower yellow seeds_eaten edible crop national_symbol
daisy | daisies, oxeye daisy | alive flower white weed
lily | lilies | alive flower bulb fragrant white
orchid | orchids | alive flower tropical houseplant purple
lavender | | alive flower shrub fragrant purple medicinal
dandelion | dandelions | alive flower weed yellow edible
poppy | poppies, red poppy, opium poppy | alive flower red medicinal seeds_eaten edible
lotus | sacred lotus, lotus flower | alive flower grows_in_water pink edible seeds_eaten national_symbol
water lily | waterlily, lily pad | alive flower grows_in_water white
daffodil | daffodils, narcissus | alive flower bulb yellow poisonous national_symbol
ivy | english ivy | alive climbing_plant evergreen houseplant green
poison ivy | | alive climbing_plant poisonous deciduous autumn_colors weed
fern | ferns | alive spores houseplant green
moss | | alive spores green
grass | lawn grass, turf, lawn | alive grass_family green
clover | shamrock, four-leaf clover, four leaf clover | alive green national_symbol weed
venus flytrap | flytrap, venus fly trap | alive carnivorous_plant houseplant green
mint | peppermint, spearmint | alive herb edible fragrant medicinal green
basil | sweet basil | alive herb edible fragrant green
wheat | | alive grass_family crop seeds_eaten edible yellow
rice plant | rice, paddy, rice paddy | alive grass_family crop seeds_eaten edible grows_in_water tropical
cotton plant | cotton | alive crop fiber shrub white
holly | holly bush | alive shrub evergreen thorns christmas red poisonous
mistletoe | | alive christmas poisonous evergreen white
""")


# =============================================================================== weather and natural phenomena
category("weather", "weather and natural phenomena", "weather event or natural phenomenon", attributes="""
man_made alive water cold light loud colorful tropical red white
hot = Is it hot?
dangerous | Is it dangerous? | Is it dangerous to humans? | Can it kill a person?
weather | Is it a type of weather? | Is it weather? | Is it related to the weather?
precipitation | Does it fall from the sky? | Is it precipitation? | Does it come down from the clouds?
ice_snow | Does it involve ice or snow? | Is it frozen? | Is it icy? | Is it made of ice?
wind_strong | Does it involve strong wind? | Is it windy? | Does it involve wind? | Is it made of moving air?
disaster | Is it a natural disaster? | Can it destroy buildings? | Does it cause destruction?
geological | Is it caused by the earth itself? | Is it geological? | Does it come from underground?
space_related | Is it caused by something in space? | Is it astronomical? | Does it involve the moon or the stars?
sky | Does it happen in the sky? | Do you see it in the sky? | Is it in the sky?
visible | Can you see it? | Is it visible?
hear | Can you hear it? | Does it make a sound? | Is it audible?
lasts_long | Can it last for days or weeks? | Does it last a long time? | Can it go on for days?
brief | Is it over in seconds or minutes? | Is it very brief? | Does it last only a short time?
clouds_needed | Does it come from clouds? | Does it need clouds? | Does it involve clouds?
electricity | Does it involve electricity? | Is it electrical?
at_sea | Does it happen at sea? | Does it happen in the ocean? | Is it related to the sea?
mountains_happen | Does it happen in the mountains? | Does it happen on mountains or slopes?
desert_happen | Does it happen in deserts? | Is it common in the desert?
predictable | Can it be predicted exactly? | Is it predictable? | Does it happen on a regular schedule?
night | Is it seen at night? | Does it happen at night? | Is it best seen in the dark?
sun_needed | Does it need sunshine? | Do you need the sun to see it? | Does it need sunlight?
fire | Does it involve fire? | Does it involve flames or lava? | Is it fire?
spinning | Does it spin? | Does it rotate? | Does it swirl?
measured_scale | Is it measured on a scale? | Does it have a strength scale? | Is it rated by category?
named | Are they given names? | Do they get human names?
ground_shaking | Does the ground shake? | Does it shake the ground?
dry | Is it dry? | Does it involve dry conditions? | Is it about dry weather?
seasonal | Does it happen in a particular season? | Is it seasonal?
winter | Does it happen in winter? | Is it a winter thing? | Does it happen in the cold season?
summer_happen | Does it happen in summer? | Is it a summer thing? | Does it happen in the warm season?
morning | Does it happen in the morning? | Do you see it in the early morning?
rocks | Does it involve rocks or mud? | Does it involve falling rocks?
waves | Does it involve waves? | Does it make big waves?
eclipse | Is it an eclipse?
storm | Is it a storm? | Is it a kind of storm? | Is it a type of storm?
""", rules="""
precipitation -> weather water clouds_needed sky visible
ice_snow -> cold
disaster -> dangerous
""", entities="""
rain | rainfall, raindrops, shower, drizzle, rain shower | precipitation hear lasts_long
snow | snowfall, snowflakes, snowflake | precipitation ice_snow winter lasts_long white
hail | hailstones, hailstone, hailstorm | precipitation ice_snow hear brief summer_happen white
sleet | freezing rain | precipitation ice_snow winter
fog | mist | weather water visible morning clouds_needed white
dew | dewdrops, morning dew, dew drops | weather water visible morning
frost | hoarfrost, hoar frost | weather ice_snow water visible morning winter white
wind | breeze, gust, gale | weather wind_strong hear
thunder | thunderclap, thunder clap | weather loud hear sky clouds_needed brief
lightning | lightning bolt, lightning strike | weather light electricity sky visible brief dangerous clouds_needed hot
rainbow | rainbows | weather sky visible colorful sun_needed water brief
tornado | twister | weather wind_strong spinning disaster loud hear sky visible brief clouds_needed measured_scale
hurricane | typhoon, cyclone, tropical cyclone | storm weather wind_strong spinning disaster loud hear clouds_needed water at_sea tropical lasts_long measured_scale named waves seasonal summer_happen visible
blizzard | snowstorm, snow storm | storm weather wind_strong ice_snow precipitation disaster winter white
thunderstorm | electrical storm, thundershower, thunder storm | storm precipitation electricity light loud hear wind_strong dangerous summer_happen
drought | dry spell | weather dry hot lasts_long disaster summer_happen
flood | flooding, flash flood, deluge | water disaster lasts_long visible
heatwave | heat wave | weather hot lasts_long dangerous summer_happen
earthquake | quake, tremor, seismic activity | geological ground_shaking disaster brief measured_scale hear
volcanic eruption | volcano, eruption, lava | geological fire hot light disaster loud hear visible mountains_happen rocks
tsunami | tidal wave | at_sea water waves disaster geological visible
avalanche | snow slide, snowslide | ice_snow mountains_happen disaster brief winter loud hear visible white
landslide | mudslide, rockslide, landslip, mud slide | rocks disaster mountains_happen brief visible geological
wildfire | forest fire, bushfire, bush fire, brush fire | fire hot light disaster lasts_long visible summer_happen dry
sandstorm | dust storm, haboob | storm weather wind_strong dry desert_happen dangerous visible
aurora | northern lights, aurora borealis, southern lights, aurora australis | space_related light sky visible colorful night
solar eclipse | eclipse of the sun, total eclipse | eclipse space_related sky visible predictable brief
lunar eclipse | eclipse of the moon, blood moon | eclipse space_related sky visible predictable night red
meteor shower | shooting stars, shooting star, meteors, perseids | space_related light sky visible night predictable
tide | tides, high tide, low tide | space_related water at_sea predictable visible
monsoon | monsoon rains, rainy season | precipitation tropical lasts_long seasonal summer_happen wind_strong
cloud | clouds | weather sky visible water clouds_needed white
whirlpool | maelstrom, vortex | water spinning at_sea dangerous visible
waterspout | water spout | weather spinning water at_sea wind_strong clouds_needed visible brief dangerous
geyser | old faithful | geological water hot visible predictable brief hear
""")


# =============================================================================== electronics
category("electronics", "electronics", "electronic device", attributes="""
man_made electric battery screen buttons portable fly light office living_room bathroom bigger_than_breadbox
hold_in_hand hot loud moving_parts head
touchscreen | Does it have a touchscreen? | Is it a touch screen device? | Do you touch the screen to use it?
keyboard_keys | Does it have a keyboard? | Do you type on it? | Does it have keys to type with?
pocket | Does it fit in a pocket? | Is it pocket-sized? | Can you carry it in your pocket?
wearable | Can you wear it? | Is it wearable? | Do you wear it?
wrist_worn | Do you wear it on your wrist? | Is it worn on the wrist?
internet | Does it connect to the internet? | Does it use Wi-Fi? | Can it go online?
bluetooth | Does it use Bluetooth? | Does it connect with Bluetooth?
camera_has | Does it have a camera? | Can it take photos? | Can it take pictures? | Can it record video?
sound | Does it play sound? | Does it have a speaker? | Does it make sound? | Do you listen to it?
microphone_has | Does it have a microphone? | Can it record sound? | Can you talk into it?
calls | Can you make phone calls with it? | Can you call people with it? | Is it a kind of phone?
music | Can it play music? | Do you listen to music on it?
video | Can it play videos? | Can you watch videos on it? | Can you watch movies on it? | Can you watch TV on it?
games | Is it used for playing games? | Can you play video games on it?
input_device | Is it an input device? | Do you use it to control a computer? | Do you use it to put information into a computer?
computer | Is it a computer? | Can it run apps? | Can you install programs on it?
storage_data | Does it store data? | Is it used to store files? | Can you save files on it?
prints | Does it print? | Does it put ink on paper? | Does it use ink? | Does it use paper?
old_invention | Was it invented before 1950? | Is it an old invention?
entertainment | Is it used for entertainment? | Is it for fun?
communication | Is it used to communicate? | Is it used for communication? | Is it a communication device?
navigation | Does it use GPS? | Does it help you navigate? | Does it show maps?
reading | Is it used for reading? | Do you read books on it?
tells_time | Does it tell the time? | Does it show the time?
blows_air | Does it blow air?
peripheral | Is it used with a computer? | Is it a computer accessory? | Do you connect it to a computer?
hygiene | Is it used for personal hygiene? | Do you use it to wash or groom yourself?
""", rules="""
* -> man_made
touchscreen -> screen
wrist_worn -> wearable
pocket -> hold_in_hand portable
calls -> communication sound microphone_has
""", entities="""
smartphone | cell phone, cellphone, mobile phone, mobile, iphone, android phone, smart phone | electric touchscreen battery pocket internet bluetooth camera_has calls music video games computer storage_data navigation entertainment
landline telephone | telephone, landline, home phone, corded phone, landline phone | electric calls buttons old_invention
laptop | notebook computer, laptop computer, macbook | electric screen keyboard_keys battery portable internet bluetooth camera_has sound microphone_has music video games computer storage_data office
desktop computer | pc, desktop, personal computer, desktop pc | electric screen keyboard_keys internet sound music video games computer storage_data office bigger_than_breadbox
tablet | ipad, tablet computer | electric touchscreen battery portable hold_in_hand internet bluetooth camera_has sound microphone_has music video games computer storage_data entertainment reading
television | tv, telly, tv set, smart tv | electric screen sound video entertainment living_room bigger_than_breadbox old_invention
radio | transistor radio, radio set | electric sound music entertainment old_invention
headphones | earphones, headset, earbuds, airpods | electric wearable head sound music hold_in_hand portable old_invention
speaker | loudspeaker, bluetooth speaker, speakers | electric sound music loud old_invention
smart speaker | alexa, amazon echo, google home, echo | electric sound music internet microphone_has living_room
microphone | mic | electric microphone_has input_device old_invention hold_in_hand
digital camera | camera, dslr, dslr camera | electric camera_has screen battery portable storage_data hold_in_hand buttons
webcam | web camera, web cam | electric camera_has input_device microphone_has communication hold_in_hand peripheral
video game console | games console, console, playstation, xbox, nintendo, game console | electric games entertainment internet storage_data video living_room
game controller | gamepad, joystick, controller | electric games input_device buttons battery hold_in_hand entertainment
computer keyboard | keyboard | electric keyboard_keys input_device buttons office peripheral
computer mouse | mouse | electric input_device buttons hold_in_hand office peripheral
printer | inkjet printer, laser printer | electric prints office bigger_than_breadbox peripheral
scanner | document scanner, flatbed scanner | electric input_device office bigger_than_breadbox peripheral
router | wifi router, wireless router, modem, wi-fi router | electric internet light
smartwatch | smart watch, apple watch | electric wrist_worn touchscreen battery internet bluetooth navigation tells_time
fitness tracker | fitbit, activity tracker | electric wrist_worn screen battery bluetooth tells_time
e-reader | kindle, ebook reader, e-book reader, ereader | electric touchscreen battery portable hold_in_hand internet storage_data reading
calculator | pocket calculator | electric screen buttons battery pocket office
remote control | remote, tv remote, clicker | electric buttons battery hold_in_hand living_room
flashlight | torch, electric torch | electric light battery hold_in_hand portable old_invention
drone | quadcopter, quadcopter drone | electric fly camera_has battery portable
usb flash drive | usb stick, thumb drive, memory stick, pen drive, flash drive | electric storage_data pocket peripheral
projector | video projector, beamer | electric light video office
vr headset | virtual reality headset, oculus, vr goggles, virtual reality goggles | electric wearable head screen games entertainment video battery
gps navigator | sat nav, satnav, gps, gps device | electric navigation touchscreen
walkie-talkie | walkie talkie, two-way radio | electric communication sound microphone_has battery portable hold_in_hand old_invention buttons
dvd player | blu-ray player, dvd | electric video entertainment living_room
hair dryer | hairdryer, blow dryer, blow-dryer | electric hot blows_air hold_in_hand bathroom loud old_invention hygiene
electric toothbrush | | electric battery bathroom hold_in_hand moving_parts hygiene
power bank | portable charger, battery pack | electric battery pocket
monitor | computer monitor, computer screen, display | electric screen office bigger_than_breadbox peripheral
record player | turntable, gramophone, phonograph | electric music sound old_invention living_room moving_parts entertainment
""")


# =============================================================================== board games
category("board_games", "board games", "board game", attributes="""
man_made battery country_usa country_uk country_germany country_france country_india country_china
country_japan country_canada country_netherlands
africa = Is it from Africa?
ancient | Is it more than 1000 years old? | Is it ancient? | Is it very old?
dice | Does it use dice? | Do you roll dice? | Is there a die?
cards | Does it use cards? | Do you draw cards?
play_money | Does it use play money? | Is there money in it? | Do you buy things?
words | Is it a word game? | Do you make words? | Do you spell words? | Does it use letters?
drawing | Do you draw pictures? | Is it about drawing?
trivia | Does it ask trivia questions? | Is it a quiz game? | Do you answer general knowledge questions? | Do you answer questions?
two_player | Is it for exactly two players? | Is it a two-player game? | Can only two people play?
many_players | Can more than two people play? | Is it for three or more players? | Can a group play it?
luck | Is it mostly luck? | Is it a game of chance? | Is it mostly chance?
strategy | Is it a game of pure strategy? | Is it all about skill? | Is it a strategy game?
invented_after_1900 | Was it invented after 1900? | Is it a modern game? | Was it invented in the 20th century or later?
after_1990 | Was it invented after 1990? | Is it a recent game? | Is it a new game?
grid | Is it played on a grid of squares? | Is the board a grid? | Is the board checkered?
capture | Do you capture your opponent's pieces? | Can you take the other player's pieces? | Do you remove opponent pieces?
children_game | Is it a children's game? | Is it made for young children? | Is it for kids?
cooperative | Is it cooperative? | Do players work together? | Do all players win or lose together?
tiles | Does it use tiles? | Do you place tiles?
map | Is the board a map? | Is it played on a map?
trains | Is it about trains? | Does it involve railways?
war | Is it a war game? | Is it about battles or armies? | Is it a military game?
hidden_info | Do players hide information from each other? | Is there hidden information? | Are some pieces hidden?
detective | Is it a mystery or detective game? | Do you solve a crime? | Is it about a murder?
property | Is it about buying property? | Do you buy houses and hotels? | Is it about real estate?
race_game | Is it a race to the finish? | Do you race your pieces around the board? | Is the goal to get your pieces home first?
black_white_pieces | Does it use black and white pieces? | Are the pieces black and white?
king_piece | Is there a king? | Does it have a king piece? | Do pieces become kings?
vertical | Is the board upright? | Do you drop pieces into slots? | Is it played on a vertical grid?
dexterity | Does it need steady hands? | Is it a dexterity game? | Do you need a steady hand?
hexagons | Does the board have hexagons? | Are the tiles hexagonal?
build | Do you build things? | Do you build roads, cities or houses?
spinner | Does it use a spinner? | Do you spin a wheel?
""", rules="""
* -> man_made
after_1990 -> invented_after_1900
""", entities="""
chess | | two_player strategy ancient grid capture king_piece black_white_pieces war country_india
checkers | draughts, chequers | two_player strategy grid capture king_piece
backgammon | | two_player dice ancient capture race_game
go | weiqi, baduk, igo | two_player strategy ancient grid capture black_white_pieces country_china
monopoly | | dice cards play_money many_players property build invented_after_1900 country_usa
scrabble | | words tiles grid many_players invented_after_1900 country_usa
clue | cluedo | dice cards many_players detective hidden_info invented_after_1900 country_uk
risk | | dice cards many_players war map capture invented_after_1900 country_france
snakes and ladders | chutes and ladders, snakes & ladders, snakes n ladders | dice luck race_game children_game many_players grid country_india
ludo | parcheesi, pachisi | dice luck race_game many_players capture children_game country_india
trivial pursuit | | dice trivia cards many_players invented_after_1900 country_canada
battleship | battleships, sea battle | two_player hidden_info grid war invented_after_1900 country_usa
connect four | connect 4, four in a row, connect4 | two_player strategy vertical children_game invented_after_1900 country_usa
othello | reversi | two_player strategy grid capture black_white_pieces invented_after_1900 country_japan
mancala | oware, kalah, bao | two_player strategy ancient capture africa
chinese checkers | sternhalma, chinese chequers | many_players strategy race_game country_germany
settlers of catan | catan, the settlers of catan | dice cards many_players build hexagons after_1990 country_germany
ticket to ride | | cards many_players trains map build after_1990
pictionary | | drawing dice cards many_players invented_after_1900 country_usa
guess who | guess who? | two_player hidden_info children_game invented_after_1900 country_uk
candy land | candyland | cards luck race_game children_game many_players invented_after_1900 country_usa
stratego | | two_player hidden_info war capture strategy grid invented_after_1900 country_netherlands
sorry | sorry! | cards luck race_game many_players capture invented_after_1900 country_uk
the game of life | game of life, life | spinner play_money luck race_game many_players invented_after_1900 country_usa
carcassonne | | tiles many_players build after_1990 country_germany
pandemic | | cooperative cards many_players map after_1990 country_usa
mouse trap | mousetrap | dice luck build many_players children_game invented_after_1900 country_usa
operation | | dexterity battery cards children_game many_players invented_after_1900 country_usa
nine men's morris | mills, merels, morris, nine mens morris | two_player strategy ancient capture
""")


# =============================================================================== assembly
def _lines(block: str) -> list[str]:
    return [ln.strip() for ln in block.strip().splitlines() if ln.strip() and not ln.strip().startswith("#")]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def parse_attribute_line(line: str, table: dict[str, list[str]], canonical: dict[str, str] | None = None) -> list[str]:
    """Define (``id | q | q``), reference (``id id id``) or reword for one category (``id = q``)
    attributes; return the ids on the line."""
    if "=" in line and "|" not in line:
        key, question = (part.strip() for part in line.split("=", 1))
        known = table.setdefault(key, [])
        if question not in known:
            known.append(question)
        if canonical is not None:
            canonical[key] = question
        return [key]
    if "|" in line:
        key, *questions = [part.strip() for part in line.split("|")]
        if key in table and DEFINED.get(key) != CURRENT[0]:
            print(f"note: attribute {key} is defined again in {CURRENT[0]} (its questions are merged)", file=sys.stderr)
        DEFINED.setdefault(key, CURRENT[0])
        known = table.setdefault(key, [])
        known.extend(q for q in questions if q and q not in known)
        return [key]
    return line.split()


DEFINED: dict[str, str] = {}
CURRENT = ["shared"]


def build() -> dict:
    errors: list[str] = []
    table: dict[str, list[str]] = {}
    for line in _lines(ATTRIBUTES):
        parse_attribute_line(line, table)
    categories = []
    for cat in CATEGORIES:
        CURRENT[0] = cat["key"]
        ids: list[str] = []
        canonical: dict[str, str] = {}
        for line in _lines(cat["attributes"]):
            for key in parse_attribute_line(line, table, canonical):
                if key not in ids:
                    ids.append(key)
        for key in ids:
            if key not in table:
                errors.append(f"{cat['key']}: attribute {key!r} has no questions")
        allowed = set(ids)
        rules: list[tuple[str, list[str]]] = []
        for line in _lines(cat["rules"]):
            lhs, rhs = (part.strip() for part in line.split("->"))
            rules.append((lhs, rhs.split()))
            for key in [lhs, *rhs.split()]:
                if key not in allowed and key != "*":
                    errors.append(f"{cat['key']}: rule uses {key!r}, not an attribute of the category")
        entities = []
        names: dict[str, str] = {}
        for line in _lines(cat["entities"]):
            name, aliases, values = (part.strip() for part in line.split("|"))
            alias_list = [a.strip() for a in aliases.split(",") if a.strip()]
            for label in [name, *alias_list]:
                key = label.lower()
                if key in names and names[key] != name:
                    errors.append(f"{cat['key']}: name {label!r} used by {names[key]!r} and {name!r}")
                names[key] = name
            tokens = " ".join(MACROS.get(t, t) for t in values.split()).split()
            true = {t for t in tokens if not t.startswith("-")}
            removed = {t[1:] for t in tokens if t.startswith("-")}
            for key in true | removed:
                if key not in allowed:
                    errors.append(f"{cat['key']}/{name}: {key!r} is not an attribute of the category")
            for lhs, rhs in rules:
                if lhs == "*":
                    true |= set(rhs)
            changed = True
            while changed:
                changed = False
                for lhs, rhs in rules:
                    if lhs in true and not set(rhs) <= true:
                        true |= set(rhs)
                        changed = True
            true -= removed
            entities.append({"id": slug(name), "name": name, "aliases": alias_list,
                             "attributes": {key: key in true for key in ids}})
        if len(ids) < MIN_ATTRIBUTES:
            errors.append(f"{cat['key']}: only {len(ids)} attributes (need {MIN_ATTRIBUTES})")
        vectors: dict[tuple, str] = {}
        for ent in entities:
            vec = tuple(ent["attributes"][k] for k in ids)
            if vec in vectors:
                errors.append(f"{cat['key']}: {ent['name']!r} and {vectors[vec]!r} have the same answers")
            vectors[vec] = ent["name"]
        if len({e["id"] for e in entities}) != len(entities):
            errors.append(f"{cat['key']}: duplicate entity ids")
        for key in ids:
            count = sum(e["attributes"][key] for e in entities)
            if count in (0, len(entities)) and key not in ("man_made", "alive", "edible", "electric"):
                print(f"note: {cat['key']}: attribute {key} is {'always' if count else 'never'} true", file=sys.stderr)
        if cat["prefer"]:
            for key in ids:
                preferred = [q for q in table[key] if q.startswith(cat["prefer"])]
                if preferred and key not in canonical:
                    canonical[key] = preferred[0]
        categories.append({"id": cat["key"], "name": cat["name"], "noun": cat["noun"], "attributes": ids,
                           "canonical": {k: canonical[k] for k in ids if k in canonical}, "entities": entities})
    if errors:
        raise SystemExit("catalogue errors:\n  " + "\n  ".join(errors))
    used = {k for c in categories for k in c["attributes"]}
    return {"version": 1, "attributes": {k: {"questions": table[k]} for k in sorted(used)}, "categories": categories}


def dump(catalogue: dict) -> str:
    """JSON with one attribute, category header or entity per line (readable diffs, modest size)."""
    one = lambda value: json.dumps(value, ensure_ascii=True)  # noqa: E731
    lines = ["{", f' "version": {catalogue["version"]},', ' "attributes": {']
    attrs = list(catalogue["attributes"].items())
    lines += [f"  {one(k)}: {one(v)}" + ("," if i < len(attrs) - 1 else "") for i, (k, v) in enumerate(attrs)]
    lines += [" },", ' "categories": [']
    for ci, cat in enumerate(catalogue["categories"]):
        head = {k: v for k, v in cat.items() if k != "entities"}
        lines.append("  " + one(head)[:-1] + ', "entities": [')
        ents = cat["entities"]
        lines += [f"   {one(e)}" + ("," if i < len(ents) - 1 else "") for i, e in enumerate(ents)]
        lines.append("  ]}" + ("," if ci < len(catalogue["categories"]) - 1 else ""))
    lines += [" ]", "}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    catalogue = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(dump(catalogue), encoding="ascii")
    cats = catalogue["categories"]
    n = sum(len(c["entities"]) for c in cats)
    print(f"wrote {OUT}: {n} entities in {len(cats)} categories, "
          f"{min(len(c['attributes']) for c in cats)}-{max(len(c['attributes']) for c in cats)} attributes per category, "
          f"{len(catalogue['attributes'])} attributes in all")
    for c in cats:
        print(f"  {c['id']:18s} {len(c['entities']):3d} entities {len(c['attributes']):3d} attributes")


if __name__ == "__main__":
    main()
