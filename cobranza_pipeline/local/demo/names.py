"""Names the demo data draws from: realistic Peruvian given names and surnames, with accents,
ñ and apostrophes, so name matching is exercised."""

GIVEN_NAMES = (  # (male, female): the middle name comes from the same list as the first name
    ("José Juan Luis Carlos Jorge Miguel Ángel Víctor César Raúl Óscar Julio Pedro Manuel Jesús "
     "Edwin Wílber Elmer Percy Walter Rubén Martín Sebastián Iván Andrés Néstor Hernán Ramón").split(),
    ("María Rosa Ana Carmen Luz Sofía Lucía Milagros Yessenia Gladys Karina Roxana Mónica Inés "
     "Mariela Verónica Jimena Nataly Flor Zoila Noemí Maribel Raquel Fiorella Isabel Teresa Ángela").split())
SURNAMES = (
    "Quispe Mamani Huamán Flores Rodríguez Sánchez García Ñañez Pérez Chávez Vásquez Ramírez Torres Castillo "
    "Mendoza Rojas Gutiérrez Díaz Espinoza Ccahuana Condori Apaza Ticona Huanca Cárdenas Valverde Zúñiga "
    "Paredes Salazar Aguilar Córdova Cáceres León Muñoz Núñez Ríos Benítez Tello Villanueva Huayta Yupanqui "
    "Cusi Chumpitaz Saavedra Ortiz Medina Romero Palomino Alarcón Vargas Cruz Herrera Ibáñez Lozano Montoya "
    "Bustamante Pizarro Ugarte Osorio Ayala Mallqui Inga Sulca Taipe").split()
APOSTROPHE_SURNAMES = ("D'Angelo", "D'Onofrio", "O'Connor", "Dell'Orto")
ACQUISITION = ("calle", "referido", "volante", "whatsapp", "feria")
