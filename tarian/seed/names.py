"""Name lists for the synthetic Gaerwen population (demo and benchmark data only).

Given names are grouped by cultural background, era of birth and sex, most popular first (the
planner weights them by rank). Surnames carry explicit weights so that Jones, Williams and Davies
are as common as they are in north Wales. Nicknames, Welsh/English equivalents and common
misspellings give the matching code (IS2) realistic variation to find.
"""

from __future__ import annotations

# fmt: off
# Eras of birth: children born 2008 onwards, younger adults 1986-2007, older adults before.
CHILD = "child"
YOUNGER = "younger"
OLDER = "older"

Names = tuple[str, ...]
Weighted = tuple[tuple[str, int], ...]

WELSH_GIVEN: dict[tuple[str, str], Names] = {
    (CHILD, "male"): (
        "Osian", "Dylan", "Tomos", "Ioan", "Cai", "Harri", "Jac", "Gruffudd", "Elis", "Rhys",
        "Macsen", "Iestyn", "Owain", "Dafydd", "Llewelyn", "Gethin", "Deio", "Guto", "Siôn",
        "Huw", "Gwilym", "Morgan", "Steffan", "Caio", "Tomi", "Math", "Nedw", "Aled", "Ifan",
        "Emyr", "Llŷr", "Twm", "Celt", "Ianto", "Mabon",
    ),
    (CHILD, "female"): (
        "Seren", "Cerys", "Ffion", "Mali", "Alaw", "Erin", "Elin", "Lowri", "Nia", "Catrin",
        "Efa", "Megan", "Gwenllian", "Siân", "Haf", "Lleucu", "Beca", "Mared", "Gwen", "Manon",
        "Cadi", "Nel", "Anest", "Heledd", "Betsan", "Elan", "Swyn", "Enfys", "Tesni", "Carys",
        "Rhiannon", "Non", "Eirlys", "Gwenno", "Begw",
    ),
    (YOUNGER, "male"): (
        "Rhys", "Dafydd", "Osian", "Ioan", "Siôn", "Iestyn", "Gethin", "Llŷr", "Tomos",
        "Steffan", "Owain", "Aron", "Gruffydd", "Elgan", "Ifan", "Huw", "Morgan", "Dyfed",
        "Rhodri", "Hedd", "Geraint", "Dewi", "Gwion", "Meilir",
    ),
    (YOUNGER, "female"): (
        "Ffion", "Cerys", "Elin", "Lowri", "Catrin", "Nia", "Gwenllian", "Sara", "Manon",
        "Mared", "Alaw", "Heledd", "Carys", "Megan", "Bethan", "Siân", "Elen", "Sioned",
        "Angharad", "Rhiannon", "Llinos", "Nest", "Gwenan", "Branwen",
    ),
    (OLDER, "male"): (
        "Gareth", "Dafydd", "Huw", "Gwyn", "Emyr", "Dewi", "Aled", "Alun", "Rhodri", "Iwan",
        "Gwilym", "Meirion", "Geraint", "Dylan", "Hywel", "Bryn", "Eifion", "Gerallt", "Arwel",
        "Iolo", "Rhys", "Owain", "Elfed", "Idris", "Glyn",
    ),
    (OLDER, "female"): (
        "Siân", "Nia", "Rhian", "Catrin", "Bethan", "Mair", "Eleri", "Gwenllian", "Delyth",
        "Angharad", "Llinos", "Ceri", "Meinir", "Menna", "Eirian", "Glenys", "Non", "Lowri",
        "Gwenan", "Sioned", "Rhiannon", "Heulwen", "Awen", "Eirlys", "Carys",
    ),
}

BRITISH_GIVEN: dict[tuple[str, str], Names] = {
    (CHILD, "male"): (
        "Oliver", "Jack", "Harry", "Jacob", "Charlie", "Thomas", "George", "Oscar", "James",
        "William", "Noah", "Alfie", "Joshua", "Leo", "Archie", "Ethan", "Freddie", "Theo",
        "Arthur", "Logan", "Mason", "Riley", "Harrison", "Finley", "Tyler", "Jenson", "Ollie",
        "Samuel", "Daniel", "Max", "Lucas", "Alexander", "Reece", "Callum", "Kian", "Owen",
        "Evan", "Lewis", "Benjamin", "Matthew",
    ),
    (CHILD, "female"): (
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Isabella", "Sophia", "Grace", "Lily", "Freya",
        "Emily", "Ivy", "Ella", "Evie", "Poppy", "Sophie", "Ruby", "Chloe", "Ellie", "Millie",
        "Lola", "Florence", "Willow", "Elsie", "Harper", "Rosie", "Jessica", "Holly", "Lucy",
        "Charlotte", "Elizabeth", "Abigail", "Scarlett", "Maisie", "Eleanor", "Darcey", "Katie",
        "Alexandra", "Rebecca", "Megan",
    ),
    (YOUNGER, "male"): (
        "Daniel", "James", "Thomas", "Liam", "Jordan", "Ryan", "Adam", "Luke", "Jack", "Callum",
        "Jake", "Kieran", "Bradley", "Joshua", "Nathan", "Samuel", "Aaron", "Connor", "Lewis",
        "Jamie", "Ben", "Alex", "William", "Scott", "Matthew", "Christopher", "Michael",
        "Benjamin", "Nicholas", "Joseph",
    ),
    (YOUNGER, "female"): (
        "Jessica", "Hannah", "Lauren", "Amy", "Chloe", "Sophie", "Rebecca", "Charlotte", "Emily",
        "Megan", "Jade", "Danielle", "Stacey", "Kirsty", "Shannon", "Bethany", "Abbie", "Leah",
        "Natalie", "Gemma", "Katie", "Zoe", "Elizabeth", "Samantha", "Victoria", "Laura",
        "Amber", "Kayleigh", "Catherine", "Abigail",
    ),
    (OLDER, "male"): (
        "David", "Paul", "Mark", "Andrew", "Richard", "Stephen", "Michael", "Christopher",
        "Darren", "Neil", "Gary", "Ian", "Simon", "Jason", "Lee", "Craig", "Matthew", "Robert",
        "John", "William", "Anthony", "Wayne", "Carl", "Martin", "Kevin", "Peter", "Shaun",
        "Jonathan", "Nicholas", "Edward", "Alexander",
    ),
    (OLDER, "female"): (
        "Sarah", "Claire", "Emma", "Nicola", "Lisa", "Michelle", "Helen", "Rachel", "Joanne",
        "Karen", "Elizabeth", "Catherine", "Julie", "Louise", "Kelly", "Donna", "Samantha",
        "Amanda", "Tracey", "Laura", "Victoria", "Margaret", "Susan", "Alison", "Rebecca",
        "Jennifer", "Angela", "Josephine", "Deborah", "Kathryn",
    ),
}

# Other backgrounds: (male, female) given names, used for every era, and surnames.
OTHER_GIVEN: dict[str, tuple[Names, Names]] = {
    "polish": (
        ("Jakub", "Kacper", "Szymon", "Filip", "Mateusz", "Piotr", "Tomasz", "Krzysztof",
         "Marek", "Paweł", "Michał", "Łukasz", "Adam", "Wojciech", "Antoni"),
        ("Zuzanna", "Julia", "Maja", "Zofia", "Hanna", "Anna", "Katarzyna", "Agnieszka",
         "Magdalena", "Joanna", "Monika", "Małgorzata", "Aleksandra", "Natalia", "Wiktoria"),
    ),
    "romanian": (
        ("Andrei", "Alexandru", "Ionuț", "Mihai", "Gabriel", "Florin", "Ștefan", "David",
         "Luca", "Matei", "Cristian", "Adrian"),
        ("Maria", "Elena", "Ioana", "Andreea", "Alexandra", "Gabriela", "Ana", "Daria", "Sofia",
         "Bianca", "Cristina", "Raluca"),
    ),
    "portuguese": (
        ("João", "Pedro", "Tiago", "Rafael", "Miguel", "Duarte", "Rodrigo", "Gonçalo"),
        ("Ana", "Beatriz", "Mariana", "Inês", "Leonor", "Matilde", "Carolina", "Sofia"),
    ),
    "ukrainian": (
        ("Oleksandr", "Dmytro", "Andrii", "Maksym", "Artem", "Serhii", "Ivan", "Bohdan"),
        ("Olena", "Oksana", "Anastasiia", "Sofiia", "Kateryna", "Iryna", "Yuliia", "Viktoriia"),
    ),
    "pakistani": (
        ("Muhammad", "Ali", "Hamza", "Ibrahim", "Zain", "Ayaan", "Imran", "Asif", "Tariq",
         "Bilal", "Usman", "Faisal", "Yusuf"),
        ("Aisha", "Fatima", "Zara", "Hafsa", "Maryam", "Amina", "Sana", "Nadia", "Ayesha",
         "Samina", "Iqra", "Khadija", "Noor"),
    ),
    "bangladeshi": (
        ("Mohammed", "Abdul", "Rahim", "Sohel", "Jamal", "Rayyan", "Arif", "Kamal", "Ismail",
         "Tanvir"),
        ("Fatema", "Nasrin", "Shirin", "Ruksana", "Tasnim", "Sumaiya", "Jannat", "Humaira",
         "Taslima", "Sadia"),
    ),
    "indian": (
        ("Arjun", "Rohan", "Aarav", "Harpreet", "Sandeep", "Rajesh", "Vikram", "Gurpreet",
         "Anil", "Dev"),
        ("Priya", "Anjali", "Simran", "Harleen", "Sunita", "Kavita", "Navdeep", "Asha", "Meera",
         "Jaspreet"),
    ),
    "chinese": (
        ("Wei", "Jun", "Hao", "Ming", "Jason", "Kevin", "Yang", "Chen"),
        ("Mei", "Li", "Xiu", "Ying", "Amy", "Grace", "Jing", "Lan"),
    ),
    "arab": (
        ("Mohammed", "Ahmad", "Omar", "Ali", "Yousef", "Khaled", "Hassan", "Ibrahim", "Mahmoud",
         "Adam", "Karim", "Tarek"),
        ("Fatima", "Maryam", "Aya", "Noor", "Layla", "Hala", "Rania", "Sara", "Amira", "Lina",
         "Yasmin", "Rasha"),
    ),
    "somali": (
        ("Abdi", "Mohamed", "Ahmed", "Hassan", "Ali", "Abdullahi", "Yusuf", "Mahad", "Abdirahman"),
        ("Hodan", "Fadumo", "Amina", "Sahra", "Ifrah", "Hibo", "Ayan", "Faisa", "Ubah"),
    ),
    "nigerian": (
        ("Chinedu", "Tobi", "David", "Samuel", "Emmanuel", "Daniel", "Oluwaseun", "Kofi",
         "Tunde", "Ikenna"),
        ("Chioma", "Blessing", "Grace", "Precious", "Adaeze", "Esther", "Abena", "Ama",
         "Folake", "Ngozi"),
    ),
    "eritrean": (
        ("Yonas", "Tesfay", "Dawit", "Samuel", "Filmon", "Merhawi"),
        ("Helen", "Senait", "Meron", "Selam", "Saba", "Luwam"),
    ),
    "kurdish": (
        ("Aram", "Rebwar", "Karwan", "Hemin", "Dilshad", "Soran"),
        ("Shirin", "Avin", "Dilan", "Roj", "Nazdar", "Lana"),
    ),
    "afghan": (
        ("Ahmad", "Mustafa", "Farid", "Nasir", "Jawad", "Sami"),
        ("Mariam", "Zahra", "Parwana", "Shabnam", "Laila", "Nargis"),
    ),
}

WELSH_SURNAMES: Weighted = (
    ("Jones", 100), ("Williams", 70), ("Davies", 60), ("Evans", 45), ("Thomas", 40),
    ("Roberts", 40), ("Hughes", 35), ("Lewis", 25), ("Morgan", 22), ("Griffiths", 25),
    ("Owen", 25), ("Price", 15), ("Pritchard", 12), ("Prydderch", 3), ("ap Rhys", 1),
    ("Jenkins", 15), ("Rees", 15), ("Lloyd", 12), ("Parry", 15), ("Edwards", 20), ("Morris", 15),
    ("James", 12), ("Phillips", 12), ("Powell", 8), ("Howells", 5), ("Llewellyn", 5),
    ("Bowen", 6), ("Vaughan", 6), ("Pugh", 6), ("Watkins", 7), ("Rowlands", 8), ("Ellis", 8),
    ("Humphreys", 6), ("Gruffudd", 2), ("Bevan", 5), ("Probert", 2), ("Meredith", 3),
    ("Gwynne", 2), ("Tudor", 2), ("Mathias", 2), ("Harries", 3), ("Pierce", 4), ("Prosser", 2),
    ("Wyn", 3), ("Puw", 1), ("Bebb", 1), ("Llwyd", 1), ("Rhys", 3), ("Hopkins", 5),
    ("Beynon", 2), ("Gwilym", 1), ("Parri", 1), ("Cadwaladr", 1), ("Glyn", 2),
)

ENGLISH_SURNAMES: Weighted = (
    ("Smith", 40), ("Brown", 20), ("Taylor", 20), ("Wilson", 15), ("Johnson", 12),
    ("Wright", 12), ("Walker", 12), ("Robinson", 10), ("Wood", 10), ("Thompson", 12),
    ("White", 10), ("Green", 10), ("Hall", 10), ("Clarke", 10), ("Jackson", 10), ("Harris", 10),
    ("Martin", 8), ("Cooper", 8), ("King", 8), ("Baker", 7), ("Ward", 8), ("Turner", 8),
    ("Hill", 8), ("Moore", 8), ("Wilkinson", 5), ("Cole", 4), ("Fletcher", 4), ("Shaw", 5),
    ("Parker", 6), ("Kelly", 5), ("O'Brien", 3), ("Murphy", 4), ("O'Neill", 2), ("McCarthy", 2),
    ("MacDonald", 2), ("Campbell", 3), ("Stewart", 3), ("Murray", 3), ("Lee", 5), ("Scott", 5),
    ("Young", 5), ("Mitchell", 5), ("Carter", 5), ("Bennett", 5), ("Cox", 4), ("Fox", 3),
    ("Marsh", 2), ("Bird", 2), ("Dawson", 2), ("Holt", 2), ("Foster", 3), ("Gibson", 3),
    ("Hayes", 2), ("Sutton", 2), ("Barker", 2), ("Webb", 3), ("Chapman", 3), ("Mason", 3),
    ("Rogers", 3), ("Ryan", 2), ("Lowe", 2), ("Dixon", 2), ("Hart", 2), ("D'Arcy", 1),
)

OTHER_SURNAMES: dict[str, Names] = {
    "polish": ("Nowak", "Wójcik", "Kowalczyk", "Woźniak", "Mazur", "Krawczyk", "Kaczmarek",
               "Zając", "Król", "Wieczorek", "Pawlak", "Michalak"),
    "romanian": ("Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica",
                 "Gheorghe", "Matei", "Constantin", "Rusu"),
    "portuguese": ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues",
                   "Martins"),
    "ukrainian": ("Shevchenko", "Bondarenko", "Kovalenko", "Tkachenko", "Kravchenko", "Melnyk",
                  "Boiko", "Oliinyk"),
    "pakistani": ("Khan", "Hussain", "Ahmed", "Akhtar", "Iqbal", "Mahmood", "Shah", "Butt",
                  "Rashid", "Malik"),
    "bangladeshi": ("Miah", "Uddin", "Rahman", "Islam", "Hoque", "Ali", "Chowdhury", "Ahmed"),
    "indian": ("Patel", "Singh", "Sharma", "Gill", "Sandhu", "Kumar", "Mistry", "Bains"),
    "chinese": ("Wang", "Li", "Zhang", "Chen", "Liu", "Wong", "Chan", "Lam"),
    "arab": ("Al-Hassan", "Haddad", "Khalil", "Nasser", "Saleh", "Hamdan", "Al-Ahmad", "Darwish",
             "Mansour", "Youssef"),
    "somali": ("Farah", "Hassan", "Mohamed", "Ali", "Abdi", "Warsame", "Yusuf", "Omar", "Jama",
               "Hersi"),
    "nigerian": ("Okafor", "Adeyemi", "Okonkwo", "Mensah", "Asante", "Obi", "Eze", "Boateng"),
    "eritrean": ("Tesfaye", "Haile", "Gebremedhin", "Berhane", "Kidane", "Tekle"),
    "kurdish": ("Ahmadi", "Karimi", "Rahimi", "Mohammadi", "Hosseini", "Aziz"),
    "afghan": ("Popal", "Noori", "Sultani", "Hakimi", "Stanekzai", "Wardak"),
    "caribbean": ("Campbell", "Brown", "Francis", "Gordon", "Clarke", "Lewis", "Bailey",
                  "Richards", "Grant", "Henry"),
    "traveller": ("Lee", "Price", "Smith", "Boswell", "Lovell", "Wood", "Loveridge", "Doherty",
                  "Ward", "Stanley"),
}

# Welsh middle names, given whatever a family's first language.
MIDDLE_WELSH: dict[str, Names] = {
    "male": ("Wyn", "Glyn", "Llŷr", "Rhys", "Iolo", "Gwyn", "Elis", "Tudur", "Huw", "Emlyn"),
    "female": ("Haf", "Mai", "Fflur", "Eleri", "Non", "Medi", "Mair", "Wen", "Eluned", "Mererid"),
}

# Pet names and short forms, as people say them (recorded as known_as or a nickname).
NICKNAMES: dict[str, Names] = {
    "William": ("Will", "Bill", "Billy"), "Elizabeth": ("Beth", "Liz", "Lizzie"),
    "David": ("Dave", "Dai"), "Dafydd": ("Dai", "Dafs"), "Gwenllian": ("Gwen",),
    "Catherine": ("Cath", "Kate", "Cat"), "Kathryn": ("Kath", "Kate"), "Rebecca": ("Becky",),
    "Thomas": ("Tom", "Tommy"), "Tomos": ("Tomi", "Twm"), "Robert": ("Rob", "Bob", "Robbie"),
    "Margaret": ("Maggie", "Peggy", "Meg"), "Rhiannon": ("Rhi",), "Alexander": ("Alex",),
    "Alexandra": ("Alex", "Lexi"), "Jessica": ("Jess",), "Samuel": ("Sam", "Sammy"),
    "Joshua": ("Josh",), "Nicholas": ("Nick",), "Richard": ("Rich", "Dick"),
    "Michael": ("Mike", "Mikey"), "Christopher": ("Chris",), "Daniel": ("Dan", "Danny"),
    "James": ("Jim", "Jamie"), "Edward": ("Ed", "Ted"), "Charlotte": ("Lottie", "Charlie"),
    "Abigail": ("Abbie", "Abi"), "Benjamin": ("Ben",), "Matthew": ("Matt",),
    "Jonathan": ("Jon",), "Gwilym": ("Gwil",), "Llewelyn": ("Llew",), "Gruffudd": ("Guto",),
    "Gruffydd": ("Guto", "Gruff"), "Bethan": ("Beth",), "Victoria": ("Vicky",),
    "Samantha": ("Sam",), "Nicola": ("Nicky",), "Josephine": ("Jo",), "Joanne": ("Jo",),
    "Ifan": ("Ianto",), "Hywel": ("Hyw",), "Eleanor": ("Ellie", "Nell"), "Amelia": ("Millie",),
    "Isabella": ("Bella", "Izzy"), "Olivia": ("Liv",), "Muhammad": ("Mo",),
    "Mohammed": ("Mo",), "Oleksandr": ("Sasha",), "Gwenan": ("Gwen",), "Angharad": ("Hari",),
    "Frederick": ("Fred",), "Jennifer": ("Jen", "Jenny"), "Stephen": ("Steve",),
    "Anthony": ("Tony",), "Andrew": ("Andy",),
}

# The same name in Welsh and in English: a school may record one, a GP the other.
EQUIVALENTS: dict[str, str] = {
    "Dafydd": "David", "Siôn": "John", "Ioan": "John", "Gwilym": "William", "Huw": "Hugh",
    "Siân": "Jane", "Elin": "Helen", "Catrin": "Catherine", "Mair": "Mary", "Rhys": "Reece",
    "Owain": "Owen", "Iestyn": "Justin", "Steffan": "Stephen", "Tomos": "Thomas",
    "Ifan": "Evan", "Harri": "Harry", "Jac": "Jack", "Efa": "Eva", "Elen": "Ellen",
    "Sioned": "Janet", "Dewi": "David", "Gruffudd": "Griffith", "Gruffydd": "Griffith",
    "Llewelyn": "Llewellyn", "Elis": "Ellis", "Beca": "Becca", "Sara": "Sarah",
    "David": "Dafydd", "William": "Gwilym", "Thomas": "Tomos", "Catherine": "Catrin",
    "Stephen": "Steffan", "Helen": "Elin",
}

# Spellings people get wrong when they write a name down from hearing it.
MISSPELLINGS: dict[str, Names] = {
    "Jones": ("Jonse", "Joens"), "Pritchard": ("Prichard", "Pritchett"),
    "Prydderch": ("Prytherch", "Pryddech"), "Griffiths": ("Griffith", "Griffths"),
    "Davies": ("Davis", "Davie"), "Williams": ("Willams", "Williamson"),
    "Hughes": ("Hughs", "Hugh"), "Llewellyn": ("Llewelyn", "Lewellyn"), "Thomas": ("Tomas",),
    "Rhys": ("Rees", "Reese"), "Gwenllian": ("Gwenlian", "Gwenlliam"), "Dafydd": ("Dafyd",),
    "Cerys": ("Ceris", "Kerys"), "Bethan": ("Bethen",), "Catrin": ("Katrin", "Catryn"),
    "Elizabeth": ("Elisabeth",), "Stephen": ("Steven",), "Muhammad": ("Mohammad", "Muhammed"),
    "Mohammed": ("Mohamed", "Muhammed"), "Rhiannon": ("Rhianon", "Riannon"),
    "Siân": ("Shan", "Sion"), "Owain": ("Owen",), "Evans": ("Evens",), "Roberts": ("Robert",),
    "Parry": ("Parri", "Perry"), "Vaughan": ("Vaughn",), "Lloyd": ("Loyd",),
    "Howells": ("Howell", "Howels"), "Phillips": ("Philips",), "Smith": ("Smyth",),
    "Clarke": ("Clark",), "Thompson": ("Thomson",), "Wójcik": ("Wojcik", "Voytchik"),
    "Popescu": ("Popesku",), "Hussain": ("Hussein", "Husain"), "Nia": ("Nya",),
    "Lowri": ("Lowrie", "Lowry"), "Ffion": ("Fion",), "Osian": ("Ossian",),
}
# fmt: on
